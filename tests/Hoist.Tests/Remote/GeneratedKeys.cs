namespace Hoist.Tests.Remote;

/// <summary>Real keys, generated once per test class because RSA generation is slow.</summary>
public sealed class GeneratedKeys : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hoist-keys-").FullName;

    public GeneratedKeys()
    {
        Ed25519 = GeneratedKey.Create(_folder, "ed25519", "-t", "ed25519");
        OtherEd25519 = GeneratedKey.Create(_folder, "other_ed25519", "-t", "ed25519");
        Rsa = GeneratedKey.Create(_folder, "rsa", "-t", "rsa", "-b", "2048");
    }

    internal GeneratedKey Ed25519 { get; }

    internal GeneratedKey OtherEd25519 { get; }

    internal GeneratedKey Rsa { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
