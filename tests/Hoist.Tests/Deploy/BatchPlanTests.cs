namespace Hoist.Tests.Deploy;

using Hoist.Config;
using Hoist.Deploy;

public sealed class BatchPlanTests
{
    private static readonly string[] Five = ["a", "b", "c", "d", "e"];

    private static string Show(IReadOnlyList<IReadOnlyList<string>> groups) => string.Join(" | ", groups.Select(g => string.Join(",", g)));

    [Fact]
    public void Without_A_Batch_Every_Host_Switches_At_Once() =>
        Assert.Equal("a,b,c,d,e", Show(BatchPlan.Groups(Five, null, 0)));

    [Fact]
    public void Batch_Of_N_Splits_In_Config_Order_The_Last_Batch_Smaller() =>
        Assert.Equal("a,b | c,d | e", Show(BatchPlan.Groups(Five, new BatchSize(2, false), 0)));

    [Fact]
    public void Batch_Larger_Than_The_Fleet_Is_One_Batch() =>
        Assert.Equal("a,b", Show(BatchPlan.Groups(["a", "b"], new BatchSize(5, false), 0)));

    [Theory]
    [InlineData(50, "a,b,c | d,e")] // 2.5 hosts rounds up to 3
    [InlineData(20, "a | b | c | d | e")]
    [InlineData(1, "a | b | c | d | e")] // never below one host
    [InlineData(100, "a,b,c,d,e")]
    public void Batch_Of_A_Share_Rounds_Up_To_Whole_Hosts(int percent, string expected) =>
        Assert.Equal(expected, Show(BatchPlan.Groups(Five, new BatchSize(percent, true), 0)));

    [Fact]
    public void Canary_Goes_Alone_First_Then_The_Rest_In_Batches() =>
        Assert.Equal("a | b,c | d,e", Show(BatchPlan.Groups(Five, new BatchSize(2, false), 1)));

    [Fact]
    public void Canary_Without_A_Batch_Then_Every_Other_Host_At_Once() =>
        Assert.Equal("a | b,c,d,e", Show(BatchPlan.Groups(Five, null, 1)));

    [Fact]
    public void Share_Is_Of_The_Whole_Fleet_Not_Of_The_Hosts_After_The_Canary() =>
        Assert.Equal("a | b,c | d,e", Show(BatchPlan.Groups(Five, new BatchSize(40, true), 1)));

    [Fact]
    public void Canary_And_Batches_With_One_Host_Is_That_Host_Once() =>
        Assert.Equal("a", Show(BatchPlan.Groups(["a"], new BatchSize(1, false), 1)));

    [Fact]
    public void Names_The_Canary_And_Each_Batch()
    {
        Assert.Equal("canary (web1)", BatchPlan.Name(0, 3, canary: true, ["web1"]));
        Assert.Equal("batch 2 of 3 (web2, web3)", BatchPlan.Name(1, 3, canary: true, ["web2", "web3"]));
        Assert.Equal("batch 1 of 2 (web1)", BatchPlan.Name(0, 2, canary: false, ["web1"]));
    }

    [Theory]
    [InlineData("2", 2, false)]
    [InlineData("25%", 25, true)]
    [InlineData("100%", 100, true)]
    public void Parses_A_Count_Or_A_Share(string text, int value, bool percent) =>
        Assert.Equal(new BatchSize(value, percent), BatchSize.Parse(text, out _));

    [Theory]
    [InlineData("0", "must be at least 1 host, got 0")]
    [InlineData("150%", "must be between 1% and 100%, got 150%")]
    [InlineData("0%", "must be between 1% and 100%, got 0%")]
    [InlineData("-1", "expected a number of hosts such as 2")]
    [InlineData("two", "expected a number of hosts such as 2")]
    [InlineData("2.5", "expected a number of hosts such as 2")]
    [InlineData("%", "expected a number of hosts such as 2")]
    public void Rejects_What_Is_Not_A_Count_Or_A_Share(string text, string message)
    {
        Assert.Null(BatchSize.Parse(text, out var error));
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }
}
