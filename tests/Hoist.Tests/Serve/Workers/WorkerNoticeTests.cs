namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Workers;

public sealed class WorkerNoticeTests
{
    private const string Token = "0123abcd";

    [Theory]
    [InlineData("::hoist-ready:: 0123abcd", "Ready", "")]
    [InlineData("::hoist-unready:: 0123abcd /up answered 500 INTERNAL SERVER ERROR", "Unready", "/up answered 500 INTERNAL SERVER ERROR")]
    [InlineData("::hoist-recycle:: 0123abcd 5000", "Recycle", "5000")]
    [InlineData("::hoist-harakiri:: 0123abcd /slow", "Harakiri", "/slow")]
    public void Reads_The_Notices_Of_Its_Worker(string line, string kind, string detail)
    {
        Assert.Equal(new WorkerNotice(Enum.Parse<WorkerNoticeKind>(kind), detail), WorkerNotice.Parse(line, Token));
    }

    [Theory]
    [InlineData("::hoist-ready:: ffffffff")] // another worker's token
    [InlineData("::hoist-ready:: 0123abcdef")] // a token that only starts like it
    [InlineData("::hoist-ready::0123abcd")]
    [InlineData("::hoist-launch:: 0123abcd")] // no such notice
    [InlineData(" ::hoist-ready:: 0123abcd")] // not at the start of the line
    [InlineData("GET /up 200")]
    [InlineData("")]
    public void Anything_Else_Is_The_Apps_Own_Output(string line)
    {
        Assert.Null(WorkerNotice.Parse(line, Token));
    }
}
