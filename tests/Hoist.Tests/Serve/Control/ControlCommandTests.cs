namespace Hoist.Tests.Serve.Control;

using Hoist.Serve.Control;

public sealed class ControlCommandTests
{
    [Theory]
    [InlineData("reload hold=1", 1)]
    [InlineData("reload hold=86400", 86400)]
    public void Takes_A_Hold_Of_One_Second_To_A_Day(string command, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ControlCommand.Hold(command));
        Assert.Null(ControlCommand.Refusal(command));
    }

    [Theory]
    [InlineData("reload hold=86401")]
    [InlineData("reload hold=0")]
    [InlineData("reload hold=-5")]
    [InlineData("reload hold=99999999999")]
    [InlineData("reload hold=")]
    public void Refuses_Any_Other_Hold_Naming_The_Limit(string command)
    {
        Assert.Null(ControlCommand.Hold(command));
        Assert.Equal($"refused '{command}': a hold is a whole number of seconds from 1 to 86400 (one day); nothing was reloaded", ControlCommand.Refusal(command));
    }

    [Theory]
    [InlineData("reload")]
    [InlineData("commit")]
    [InlineData("status")]
    public void Refuses_No_Other_Command(string command) => Assert.Null(ControlCommand.Refusal(command));
}
