namespace Hoist.Tests.Setup;

using Hoist.Core;
using Hoist.Setup;

/// <summary>Which value each of setup.secrets gets from what the web hosts keep (<see cref="AppSecretPlan"/>).</summary>
public sealed class AppSecretPlanTests
{
    private const string Kept = "kept-value-0123456789";

    private int made;

    [Fact]
    public void A_New_Value_Is_256_Random_Bits_As_64_Hex_Digits()
    {
        var (a, b) = (AppSecretPlan.NewValue(), AppSecretPlan.NewValue());

        Assert.Matches("^[0-9a-f]{64}$", a);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Generates_One_Value_For_Every_Host_When_None_Has_It()
    {
        var choice = Assert.Single(Choose([], ("web1", Report()), ("web2", Report())));

        Assert.Equal(("SECRET_KEY", "new-1", AppSecretSource.Generated), (choice.Name, choice.Value, choice.Source));
        Assert.Equal(["web1", "web2"], choice.Missing);
        Assert.Equal(1, made);
    }

    [Fact]
    public void A_Host_Added_Later_Gets_The_Fleets_Value_Not_A_New_One()
    {
        var choice = Assert.Single(Choose([], ("web1", Report(Kept)), ("web3", Report())));

        Assert.Equal((Kept, AppSecretSource.Kept), (choice.Value, choice.Source));
        Assert.Equal(["web3"], choice.Missing);
        Assert.Equal(0, made);
    }

    [Fact]
    public void Rotation_Makes_A_New_Value_Whatever_The_Hosts_Keep()
    {
        var choice = Assert.Single(Choose(["SECRET_KEY"], ("web1", Report(Kept)), ("web2", Report("another-value-0123456"))));

        Assert.Equal(("new-1", AppSecretSource.Rotated), (choice.Value, choice.Source));
    }

    [Fact]
    public void Hosts_That_Disagree_Are_Named_With_The_Fix_And_No_Value()
    {
        var error = Assert.Throws<HoistException>(() => Choose([], ("web1", Report(Kept)), ("web2", Report("another-value-0123456")), ("web3", Report(Kept))));

        Assert.Equal(
            "SECRET_KEY differs between the web hosts' shared/.env: web1, web3 (one value); web2 (another). Make the lines agree by hand, or run " +
            "`hoist setup --rotate-secret SECRET_KEY` to give every web host a new one\nno host was changed",
            error.Message);
    }

    [Fact]
    public void A_Kept_Value_Too_Short_To_Be_A_Secret_Is_Refused_With_The_Fix()
    {
        var error = Assert.Throws<HoistException>(() => Choose([], ("web1", Report("short"))));

        Assert.Contains("web1: shared/.env holds a SECRET_KEY of 5 characters, too short to be a secret (at least 8); run `hoist setup --rotate-secret SECRET_KEY`", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Choice_Prints_Without_Its_Value()
    {
        Assert.Equal("SECRET_KEY (Kept)", new AppSecretChoice("SECRET_KEY", Kept, AppSecretSource.Kept, []).ToString());
        Assert.DoesNotContain(Kept, Report(Kept).ToString(), StringComparison.Ordinal);
    }

    private IReadOnlyList<AppSecretChoice> Choose(string[] rotate, params (string Host, AppSecretsReport Report)[] kept) =>
        AppSecretPlan.Choose(["SECRET_KEY"], rotate, kept, () => $"new-{++made}");

    private static AppSecretsReport Report(string? value = null) =>
        new(value is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["SECRET_KEY"] = value });
}
