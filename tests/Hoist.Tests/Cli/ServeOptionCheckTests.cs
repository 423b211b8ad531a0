namespace Hoist.Tests.Cli;

using Hoist.Cli;

public sealed class ServeOptionCheckTests
{
    [Theory]
    [InlineData("--reload", 1)]
    [InlineData("--reload", 86400)]
    [InlineData("--daemon", 120)]
    public void Takes_A_Hold_Of_One_Second_To_A_Day_With_Reload_Or_Daemon(string action, int seconds) => Assert.Null(ServeOptionCheck.Problem([action], seconds));

    [Theory]
    [InlineData(86401)]
    [InlineData(0)]
    [InlineData(int.MaxValue)]
    public void Rejects_A_Hold_Past_A_Day_Or_Under_A_Second_Naming_The_Limit(int seconds) =>
        Assert.Equal($"--hold {seconds}: a hold is a whole number of seconds from 1 to 86400 (one day) (e.g. --reload --hold 120)", ServeOptionCheck.Problem(["--reload"], seconds));

    [Theory]
    [InlineData]
    [InlineData("--commit")]
    public void Rejects_A_Hold_Without_Reload_Or_Daemon(params string[] actions) =>
        Assert.Equal("--hold SECONDS goes with --reload or --daemon (e.g. --reload --hold 120)", ServeOptionCheck.Problem(actions, 120));

    [Theory]
    [InlineData("--revert", "--commit")]
    [InlineData("--reload", "--revert")]
    [InlineData("--reload", "--commit")]
    [InlineData("--stop", "--status")]
    [InlineData("--commit", "--daemon")]
    public void Rejects_Two_Actions_Naming_Both(string first, string second) =>
        Assert.Equal(
            $"{first} and {second} cannot go together: hoist serve does one of --reload, --commit, --revert, --stop, --status, --daemon at a time; run them one after the other",
            ServeOptionCheck.Problem([first, second], null));

    [Theory]
    [InlineData]
    [InlineData("--revert")]
    [InlineData("--status")]
    public void Takes_One_Action_Or_None(params string[] actions) => Assert.Null(ServeOptionCheck.Problem(actions, null));
}
