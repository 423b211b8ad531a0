namespace Hoist.Tests.Check;

using Hoist.Check;
using Hoist.Tests.Config;

/// <summary>The check script each role gets, as exact text: what a fresh host needs before hoist setup and deploy.</summary>
public sealed class CheckerTests
{
    private const string Yaml = """
        app: myproject
        repo: https://example.com/me/myproject.git
        deploy_to: /srv/myproject
        hosts: { web: [10.0.0.2], db: [10.0.0.3] }
        serve: { command: "dotnet App.dll", socket: /srv/myproject/shared/run/app.sock, chdir: /srv/myproject/current }
        setup: {}
        """;

    [Fact]
    public void A_Db_Only_Host_Needs_No_Git_No_Deploy_To_And_Gets_No_Hoist_Folder()
    {
        var config = TestConfig.Valid(Yaml);
        var db = config.Roles.Single(r => r.Name == "db").Hosts[0];

        var script = Checker.Build(config, db).Show();

        Assert.False(config.GetsReleases(db));
        Assert.Equal(
            "problems=0\n" +
            "for t in bash tar; do if ! command -v \"$t\" >/dev/null 2>&1; then echo \"$t is not installed\"; problems=1; fi; done\n" +
            "exit \"$problems\"",
            script);
    }

    // The ownership check's own text is in the check.sh golden file; here it only has to come before anything is made.
    private static readonly string Ownership = Hoist.Deploy.DeployToOwnership.Report(new Hoist.Shell.ScriptBuilder("check")).Build().Show();

    [Fact]
    public void A_Web_Host_In_Git_Mode_With_Setup_Is_Told_Setup_Installs_Git_And_Makes_Deploy_To()
    {
        var config = TestConfig.Valid(Yaml);
        var web = config.Roles.Single(r => r.Name == "web").Hosts[0];

        var script = Checker.Build(config, web).Show();

        Assert.Equal(
            "D=/srv/myproject\n" +
            "problems=0\n" +
            "for t in bash tar; do if ! command -v \"$t\" >/dev/null 2>&1; then echo \"$t is not installed\"; problems=1; fi; done\n" +
            "if ! command -v git >/dev/null 2>&1; then echo 'git is not installed; hoist setup installs it'; problems=1; fi\n" +
            Ownership + "\n" +
            "M='" + Hoist.Shell.Marker.Prefix + "'\n" +
            "if [ ! -e \"$D\" ]; then echo \"${M}deploy_to=missing\"\n" +
            "elif [ \"$owned\" = 1 ] && ! { mkdir -p \"$D\"/.hoist && touch \"$D\"/.hoist/.check && rm -f \"$D\"/.hoist/.check; } 2>/dev/null; then\n" +
            "  echo \"$D is not writable by $(id -un)\"; problems=1\n" +
            "fi\n" +
            "G=https://example.com/me/myproject.git; export GIT_ALLOW_PROTOCOL=ssh:https:http:git:file\n" +
            "if command -v git >/dev/null 2>&1 && ! git_error=$(git ls-remote --exit-code -- \"$G\" main 2>&1 >/dev/null); then\n" +
            "  echo 'cannot read branch '\\''main'\\'' of https://example.com/me/myproject.git from this host'\"${git_error:+: $git_error}\"; problems=1\n" +
            "fi\n" +
            "exit \"$problems\"",
            script);
    }

    [Fact]
    public void A_Web_Host_Of_An_Upload_Deploy_Needs_No_Git()
    {
        var config = TestConfig.Valid(Yaml) with { Source = new Hoist.Config.UploadSource("/p/publish") };
        var web = config.Roles.Single(r => r.Name == "web").Hosts[0];

        var script = Checker.Build(config, web).Show();

        Assert.DoesNotContain("git", script, StringComparison.Ordinal);
        Assert.Contains("\"$D\"/.hoist", script, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Web_Host_Of_A_Python_Venv_App_Needs_Python3_Venv_And_A_Db_Host_Does_Not()
    {
        var config = TestConfig.Valid(Yaml + "\npython: { venv: true }");
        var need = "if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then echo 'python.venv: python3 with its venv module (python3-venv) is not installed; hoist setup installs it'; problems=1; fi";

        Assert.Contains(need, Checker.Build(config, config.Roles.Single(r => r.Name == "web").Hosts[0]).Show(), StringComparison.Ordinal);
        Assert.DoesNotContain("python3", Checker.Build(config, config.Roles.Single(r => r.Name == "db").Hosts[0]).Show(), StringComparison.Ordinal);
        Assert.DoesNotContain("python3", Checker.Build(TestConfig.Valid(Yaml), config.Roles.Single(r => r.Name == "web").Hosts[0]).Show(), StringComparison.Ordinal);
    }
}
