namespace Hoist.Tests.Remote;

using Hoist.Remote;

public sealed class HeldOutputTests
{
    [Fact]
    public void Lines_Wait_For_Release_Then_Show_In_Order_And_Later_Ones_Pass()
    {
        var shown = new List<string>();
        var held = new HeldOutput((line, _) => shown.Add(line));

        Assert.True(held.Hold("one", true));
        Assert.True(held.Hold("two", false));
        Assert.Empty(shown);

        held.Release();
        held.Release();

        Assert.Equal(["one", "two"], shown);
        Assert.False(held.Hold("three", true));
    }

    [Fact]
    public void At_Most_MaxHeld_Lines_Are_Held_And_The_Rest_Counted()
    {
        var shown = new List<string>();
        var held = new HeldOutput((line, _) => shown.Add(line));
        for (var i = 0; i < HeldOutput.MaxHeld + 5; i++)
        {
            held.Hold($"line {i}", true);
        }

        held.Release();

        Assert.Equal(HeldOutput.MaxHeld + 1, shown.Count);
        Assert.StartsWith("… 5 more lines", shown[^1]);
    }
}
