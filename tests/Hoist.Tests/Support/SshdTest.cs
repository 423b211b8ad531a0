namespace Hoist.Tests.Support;

/// <summary>A test class with a temp folder and a real sshd of its own on 127.0.0.1, started before each test.</summary>
public abstract class SshdTest : IAsyncLifetime
{
    protected TempDir Dir { get; } = new();

    protected TestSshd Sshd { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Sshd = await TestSshd.StartAsync();

    public virtual async Task DisposeAsync()
    {
        await Sshd.DisposeAsync();
        Dir.Dispose();
    }
}
