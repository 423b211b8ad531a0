namespace Hoist.Tests.Remote;

/// <summary>A key pair made by ssh-keygen, read back from its .pub file.</summary>
internal sealed record GeneratedKey(string PubPath, string Type, string Base64)
{
    public byte[] Blob => Convert.FromBase64String(Base64);

    public static GeneratedKey Create(string folder, string name, params string[] typeArguments)
    {
        var path = Path.Combine(folder, name);
        SshKeygen.RunOrThrow([.. typeArguments, "-N", "", "-C", name, "-q", "-f", path]);
        var fields = File.ReadAllText(path + ".pub").Split(' ');
        return new GeneratedKey(path + ".pub", fields[0], fields[1]);
    }
}
