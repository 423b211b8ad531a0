namespace Hoist.Tests.Cli;

using Hoist.Cli;

public sealed class ServeOptionCheckTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(86400)]
    public void Takes_A_Hold_Of_One_Second_To_A_Day_With_Reload(int seconds) => Assert.Null(ServeOptionCheck.Problem(seconds, holdCarrier: true));

    [Theory]
    [InlineData(86401)]
    [InlineData(0)]
    [InlineData(int.MaxValue)]
    public void Rejects_A_Hold_Past_A_Day_Or_Under_A_Second_Naming_The_Limit(int seconds) =>
        Assert.Equal($"--hold {seconds}: a hold is a whole number of seconds from 1 to 86400 (one day) (e.g. --reload --hold 120)", ServeOptionCheck.Problem(seconds, holdCarrier: true));

    [Fact]
    public void Rejects_A_Hold_Without_Reload_Or_Daemon() =>
        Assert.Equal("--hold SECONDS goes with --reload or --daemon (e.g. --reload --hold 120)", ServeOptionCheck.Problem(120, holdCarrier: false));
}
