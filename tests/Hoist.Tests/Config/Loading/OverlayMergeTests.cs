namespace Hoist.Tests.Config.Loading;

using Hoist.Config;
using Hoist.Config.Loading;
using Hoist.Tests.Config;

/// <summary>A destination's overlay merged over hoist.yml: what wins, what is removed, and where each error points.</summary>
public sealed class OverlayMergeTests
{
    private const string Base = """
        app: demo
        repo: /srv/git/demo.git
        deploy_to: /srv/demo
        hosts:
          web: [10.0.0.1, 10.0.0.2]
          db: 10.0.0.3
        build: [make assets, make check]
        env:
          GREETING: hello
          MODE: production
        deploy: { health_url: /up, health_timeout: 30 }
        """;

    private const string Overlay = "hoist.staging.yml";

    private static ConfigResult Load(string overlay, string yaml = Base, Dictionary<string, string>? environment = null) =>
        ConfigLoader.LoadText(yaml, TestConfig.File, TestConfig.BaseDirectory, environment ?? TestConfig.Environment(), null,
            new ConfigOverlay("staging", overlay, Overlay, Path.Combine(TestConfig.BaseDirectory, Overlay)));

    private static HoistConfig Valid(string overlay, string yaml = Base, Dictionary<string, string>? environment = null)
    {
        var result = Load(overlay, yaml, environment);
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        return result.Config;
    }

    private static IReadOnlyList<string> Errors(string overlay, string yaml = Base, Dictionary<string, string>? environment = null)
    {
        var result = Load(overlay, yaml, environment);
        Assert.False(result.Succeeded);
        return result.Errors.Select(e => e.ToString()).ToList();
    }

    [Fact]
    public void Scalar_In_Overlay_Replaces_And_The_Rest_Stays()
    {
        var config = Valid("deploy_to: /srv/demo-staging");

        Assert.Equal("/srv/demo-staging", config.DeployTo);
        Assert.Equal("demo", config.App);
        Assert.Equal(["make assets", "make check"], config.Build);
        Assert.Equal("staging", config.Destination);
        Assert.Equal(Path.Combine(TestConfig.BaseDirectory, Overlay), config.OverlayPath);
    }

    [Fact]
    public void Mappings_Merge_Key_By_Key_At_Every_Depth()
    {
        var config = Valid("env: { MODE: staging, EXTRA: one }\ndeploy: { health_timeout: 5 }");

        Assert.Equal(["GREETING=hello", "MODE=staging", "EXTRA=one"], config.Env.Select(e => $"{e.Name}={e.Value.Reveal()}"));
        Assert.Equal("/up", config.Deploy.HealthUrl);
        Assert.Equal(5, config.Deploy.HealthTimeoutSeconds);
    }

    [Fact]
    public void Role_Replaced_By_Overlay_Keeps_The_Other_Roles()
    {
        var config = Valid("hosts: { web: [10.0.0.9] }");

        Assert.Equal(["10.0.0.9", "10.0.0.3"], config.AllHosts.Select(h => h.Address));
        Assert.Equal(["web", "db"], config.Roles.Select(r => r.Name));
    }

    [Fact]
    public void Lists_Are_Replaced_Not_Concatenated()
    {
        var config = Valid("build: [make staging]");

        Assert.Equal(["make staging"], config.Build);
    }

    [Fact]
    public void Null_Removes_The_Key_So_Its_Default_Applies()
    {
        var config = Valid("deploy_to: ~\nhosts: { db: ~ }\nenv: { MODE: }\nbuild:");

        Assert.Equal("~/demo", config.DeployTo);
        Assert.Equal(["web"], config.Roles.Select(r => r.Name));
        Assert.Equal(["GREETING"], config.Env.Select(e => e.Name));
        Assert.Empty(config.Build);
    }

    [Fact]
    public void Null_For_A_Key_Hoist_Yml_Does_Not_Have_Changes_Nothing()
    {
        var config = Valid("migrate: ~");

        Assert.Null(config.Migrate);
    }

    [Fact]
    public void A_Mapping_Over_A_Value_Replaces_It_And_Is_Read_As_The_Overlay_Wrote_It()
    {
        var error = Assert.Single(Errors("env: { GREETING: { nested: x } }"));

        Assert.Equal("hoist.staging.yml:1:18: env.GREETING: expected a single value (quote it to keep it a string), got a mapping", error);
    }

    [Fact]
    public void A_Value_Over_A_Mapping_Replaces_It()
    {
        var error = Assert.Single(Errors("deploy: fast"));

        Assert.StartsWith("hoist.staging.yml:1:9: deploy: expected a mapping", error);
    }

    [Fact]
    public void Empty_Overlay_Or_Comments_Only_Changes_Nothing()
    {
        Assert.Equal("/srv/demo", Valid("").DeployTo);
        Assert.Equal("/srv/demo", Valid("# staging is production, for now\n").DeployTo);
    }

    [Fact]
    public void App_May_Change_With_Its_Defaults()
    {
        var config = Valid("app: demo-staging\ndeploy_to: ~");

        Assert.Equal("demo-staging", config.App);
        Assert.Equal("~/demo-staging", config.DeployTo);
    }

    [Fact]
    public void Overlay_Interpolates_From_The_Environment()
    {
        var environment = TestConfig.Environment();
        environment["STAGING_HOST"] = "10.0.0.7";

        var config = Valid("hosts: { web: [\"${STAGING_HOST}\"] }\nenv: { MODE: \"${STAGE:-staging}\" }", environment: environment);

        Assert.Equal("10.0.0.7", config.Roles[0].Hosts[0].Address);
        Assert.Equal("staging", config.Env.Single(e => e.Name == "MODE").Value.Reveal());
    }

    [Fact]
    public void Unset_Variable_In_Overlay_Is_An_Error_In_The_Overlay()
    {
        var error = Assert.Single(Errors("deploy_to: /srv/${NOPE}"));

        Assert.Equal("hoist.staging.yml:1:12: deploy_to: environment variable NOPE is not set; export it or write ${NOPE:-default}", error);
    }

    [Fact]
    public void Unknown_Key_In_Overlay_Is_An_Error_In_The_Overlay_At_Any_Depth()
    {
        var errors = Errors("\ndeplyo_to: /x\ndeploy: { health_timout: 3 }");

        Assert.Equal(
            [
                "hoist.staging.yml:2:1: deplyo_to: unknown key 'deplyo_to'; did you mean 'deploy_to'?",
                "hoist.staging.yml:3:11: deploy.health_timout: unknown key 'health_timout'; did you mean 'health_timeout'?",
            ],
            errors);
    }

    [Fact]
    public void Errors_From_Both_Files_Name_Each_File_Hoist_Yml_First()
    {
        var errors = Errors("keep_releases: 0", Base + "\nssh: { port: 0 }");

        Assert.Equal(
            [
                "hoist.yml:12:14: ssh.port: must be between 1 and 65535, got 0",
                "hoist.staging.yml:1:16: keep_releases: must be at least 1, got 0",
            ],
            errors);
    }

    [Fact]
    public void A_Base_Value_The_Overlay_Replaced_Reports_No_Error()
    {
        var config = Valid("keep_releases: 3", Base + "\nkeep_releases: zero");

        Assert.Equal(3, config.KeepReleases);
    }

    [Fact]
    public void A_Base_Value_The_Overlay_Made_Wrong_Is_Reported_Where_Hoist_Yml_Wrote_It()
    {
        // migrate_on is checked against the merged hosts.web: the overlay took 10.0.0.2 away.
        var error = Assert.Single(Errors("hosts: { web: [10.0.0.9] }", Base + "\nmigrate: make migrate\nmigrate_on: 10.0.0.2"));

        Assert.StartsWith("hoist.yml:13:13: migrate_on: '10.0.0.2' is not a web host of this file", error);
    }

    [Fact]
    public void Removing_A_Required_Key_Is_An_Error()
    {
        var error = Assert.Single(Errors("hosts: ~"));

        // The merged top level stands where hoist.yml's does.
        Assert.Equal("hoist.yml:1:1: hosts: required key 'hosts' is missing or empty; add e.g. 'hosts: { web: [203.0.113.10] }'", error);
    }

    [Fact]
    public void Overlay_Must_Be_A_Mapping()
    {
        var error = Assert.Single(Errors("- deploy_to: /x"));

        Assert.Equal("hoist.staging.yml:1:1: expected a mapping of the settings that differ from hoist.yml (deploy_to: ..., hosts: ...), got a list", error);
    }

    [Fact]
    public void Overlay_Syntax_Error_Names_The_Overlay()
    {
        var error = Assert.Single(Errors("env: { A: 1\n"));

        Assert.StartsWith("hoist.staging.yml:2:1: YAML syntax error:", error);
    }

    [Fact]
    public void Overlay_Limits_Apply_Too()
    {
        var deep = "a: " + new string('[', LimitedParser.MaxDepth + 1) + new string(']', LimitedParser.MaxDepth + 1);
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Join('\n', Enumerable.Range(0, 6).Select(i => $"{(char)('b' + i)}: &{(char)('b' + i)} [*{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}]"));

        Assert.Contains("the YAML nests deeper than 32 levels", Assert.Single(Errors(deep)));
        var error = Assert.Single(Errors(bomb));
        Assert.StartsWith("hoist.staging.yml:", error);
        Assert.Contains($"the YAML stands for more than {LimitedParser.MaxExpandedNodes} values", error);
    }

    [Fact]
    public void A_Mapping_Two_Keys_Share_By_Alias_Changes_Only_Where_The_Overlay_Reaches()
    {
        const string yaml = """
            app: demo
            repo: /srv/git/demo.git
            hosts: { web: [10.0.0.1] }
            env: &vars { MODE: production }
            serve: { http_socket: 127.0.0.1:8000, command: app, env: *vars }
            """;

        var config = Valid("env: { MODE: staging }", yaml);

        Assert.Equal("staging", config.Env.Single().Value.Reveal());
        Assert.Equal("production", config.Serve!.Env.Single(e => e.Key == "MODE").Value);
    }

    [Fact]
    public void Secrets_Add_Up_And_A_Base_Secret_Stays_Secret()
    {
        var environment = TestConfig.Environment();
        environment["SECRET_KEY"] = "base-secret-value";
        environment["STAGING_TOKEN"] = "staging-token-value";

        var config = Valid("secrets: [STAGING_TOKEN, SECRET_KEY]", Base + "\nsecrets: [SECRET_KEY]", environment);

        Assert.True(config.Env.Single(e => e.Name == "SECRET_KEY").Value.IsSecret);
        Assert.True(config.Env.Single(e => e.Name == "STAGING_TOKEN").Value.IsSecret);
    }

    [Fact]
    public void Secrets_Cannot_Be_Removed_By_The_Overlay()
    {
        var environment = TestConfig.Environment();
        environment["SECRET_KEY"] = "base-secret-value";

        var error = Assert.Single(Errors("secrets: ~", Base + "\nsecrets: [SECRET_KEY]", environment));

        Assert.StartsWith("hoist.staging.yml:1:10: secrets: an overlay cannot remove secrets", error);
    }

    [Fact]
    public void A_Secret_Used_In_An_Overlay_Command_Is_Refused_In_The_Overlay()
    {
        var environment = TestConfig.Environment();
        environment["SECRET_KEY"] = "base-secret-value";

        var error = Assert.Single(Errors("build: \"echo ${SECRET_KEY}\"", Base + "\nsecrets: [SECRET_KEY]", environment));

        Assert.StartsWith("hoist.staging.yml:1:8: build: uses secret SECRET_KEY", error);
        Assert.DoesNotContain("base-secret-value", error);
    }

    [Fact]
    public void Serve_Errors_Name_The_File_Of_The_Setting()
    {
        var errors = Errors("serve: { workers: 0 }", Base + "\nserve: { http_socket: 127.0.0.1:8000, command: app }");

        Assert.Contains(errors, e => e.StartsWith("hoist.staging.yml:1:19: serve.workers:", StringComparison.Ordinal));
    }
}
