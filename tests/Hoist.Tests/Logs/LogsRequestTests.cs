namespace Hoist.Tests.Logs;

using Hoist.Logs;

public sealed class LogsRequestTests
{
    [Theory]
    [InlineData("", "--grep needs a pattern")]
    [InlineData("a\nb", "--grep holds a control character")]
    [InlineData("a\0b", "--grep holds a control character")]
    [InlineData("\t", "--grep holds a control character")]
    public void Grep_Must_Be_One_Line_Of_Pattern(string pattern, string problem) =>
        Assert.StartsWith(problem, LogsRequest.GrepProblem(pattern), StringComparison.Ordinal);

    [Fact]
    public void Grep_Takes_Any_Characters_A_Shell_Would_Read_And_Refuses_A_File()
    {
        Assert.Null(LogsRequest.GrepProblem("it's $(reboot); `x` | \"y\" *"));
        Assert.Null(LogsRequest.GrepProblem(new string('a', LogsRequest.MaxGrepLength)));
        Assert.Equal("--grep is 1001 characters long; at most 1000", LogsRequest.GrepProblem(new string('a', 1001)));
    }
}
