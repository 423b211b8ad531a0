namespace Hoist.Tests.Config.Loading;

using Hoist.Tests.Config;
using Xunit.Abstractions;

/// <summary>
/// Hostile and careless ssh.kex_algorithms values: each is an error at its line (never a silent fallback to the
/// default order, which would quietly drop the post-quantum exchange an operator asked to put first).
/// </summary>
public sealed class KexAlgorithmsInputTests(ITestOutputHelper output)
{
    private const string Head = "app: demo\nrepo: /srv/demo.git\nhosts: { web: 10.0.0.1 }\n";

    public static TheoryData<string, string> Hostile() => new()
    {
        { "upper case", "ssh: { kex_algorithms: [Curve25519-SHA256] }" },
        { "a name with a space", "ssh: { kex_algorithms: [\"curve25519-sha256 \"] }" },
        { "one comma-joined string", "ssh: { kex_algorithms: \"sntrup761x25519-sha512@openssh.com,curve25519-sha256\" }" },
        { "a number", "ssh: { kex_algorithms: [25519] }" },
        { "a nested list", "ssh: { kex_algorithms: [[curve25519-sha256]] }" },
        { "a map", "ssh: { kex_algorithms: { curve25519-sha256: 1 } }" },
        { "a strict-kex pseudo name", "ssh: { kex_algorithms: [kex-strict-c-v00@openssh.com] }" },
        { "a duplicate through an alias", "ssh: { kex_algorithms: [&k curve25519-sha256, *k] }" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_Hostile_Kex_Algorithms_Value_Is_An_Error_At_Its_Line(string what, string yaml)
    {
        var result = TestConfig.Load(Head + yaml);

        var errors = result.Errors.Select(e => e.ToString()).ToList();
        output.WriteLine($"{what}: {(errors.Count == 0 ? "accepted, order " + string.Join(",", result.Config!.Ssh.KexOrder) : string.Join(" | ", errors))}");
        Assert.Contains(errors, e => e.Contains("ssh.kex_algorithms", StringComparison.Ordinal) || e.Contains("'x'", StringComparison.Ordinal));
    }
}
