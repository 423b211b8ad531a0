namespace Hoist.Tests.Deploy;

using Hoist.Deploy;
using Hoist.Shell;
using Hoist.Tests.Support;

/// <summary>The ownership walk's own pieces, run by bash here: the folders it walks must be dirname's, one by one.</summary>
public sealed class DeployToOwnershipTests
{
    public static TheoryData<string> Paths() =>
        ["/", "//", "/srv", "/srv/", "/srv//app", "/srv/app//", "/home/deploy/apps/my app", "/a/b/c/d/e/f/g/h/i", "app", "./app", "a/b/", "."];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Each_Step_Up_Is_What_Dirname_Says(string path)
    {
        var functions = DeployToOwnership.Define(new ScriptBuilder("walk")).Build().Show();
        var script = functions + "\n" +
            "p=\"$1\"; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do owned_up \"$p\"; d=$(dirname -- \"$p\"); " +
            "[ \"$up\" = \"$d\" ] || { printf 'after %s: owned_up %s, dirname %s\\n' \"$p\" \"$up\" \"$d\"; exit 1; }; p=$up; done";

        var result = await Run.ProcessAsync("bash", ["-c", script, "walk", path]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
