namespace Hoist.Tests.Deploy;

using Hoist.Deploy;

public sealed class PrunePlanTests
{
    [Fact]
    public void Keeps_The_Newest_N_Including_The_New_One() =>
        Assert.Equal(["1", "2"], PrunePlan.Select(["1", "2", "3", "4"], live: "5", previous: "4", keep: 3));

    [Fact]
    public void Never_Prunes_The_Previous_Release_Even_When_Old()
    {
        // After a rollback to 1, a new deploy 5: 1 was live and stays as the previous one.
        Assert.Equal(["2", "3"], PrunePlan.Select(["1", "2", "3", "4"], live: "5", previous: "1", keep: 2));
    }

    [Fact]
    public void Keep_One_Still_Keeps_Previous() =>
        Assert.Equal(["1"], PrunePlan.Select(["1", "2"], live: "3", previous: "2", keep: 1));

    [Fact]
    public void Nothing_To_Prune_Below_Keep() =>
        Assert.Empty(PrunePlan.Select(["1"], live: "2", previous: "1", keep: 5));
}
