namespace Hoist.Tests.Config;

using Hoist.Config;

public sealed class ConfigLoaderTests
{
    private const string Minimal = TestConfig.Minimal;

    [Fact]
    public void Loads_Minimal_WithDefaults()
    {
        var config = TestConfig.Valid(Minimal);

        Assert.Equal("demo", config.App);
        Assert.Equal(new GitSource("/srv/git/demo.git", "main"), config.Source);
        Assert.Equal("~/demo", config.DeployTo);
        Assert.Equal(5, config.KeepReleases);
        Assert.Equal(new SshConfig("me", 22, null, "/home/me/.ssh/known_hosts", false, TimeSpan.FromSeconds(10)), config.Ssh);
        var role = Assert.Single(config.Roles);
        Assert.Equal("web", role.Name);
        Assert.Equal(new HostConfig("10.0.0.1", 22, "me", false), Assert.Single(role.Hosts));
        Assert.Empty(config.Shared);
        Assert.Empty(config.Build);
        Assert.Null(config.Reload);
        Assert.Empty(config.Env);
        Assert.Equal(Path.Combine(TestConfig.BaseDirectory, "hoist.yml"), config.ConfigPath);
    }

    [Fact]
    public void Defaults_SshUser_ToRoot_WithoutUserVariable()
    {
        var config = TestConfig.Valid(Minimal, new Dictionary<string, string> { ["HOME"] = "/root" });

        Assert.Equal("root", config.Ssh.User);
        Assert.Equal("root", config.AllHosts[0].User);
    }

    [Fact]
    public void Loads_EveryKey()
    {
        var config = TestConfig.Valid("""
            app: shop.v2
            repo: git@github.com:me/shop.git
            branch: release
            deploy_to: /srv/shop
            keep_releases: 3
            hosts:
              web: [10.0.0.1, local]
              db: 10.0.0.2
            ssh: { user: deploy, port: 2200, key: keys/deploy, known_hosts: /etc/ssh/known, forward_agent: false, connect_timeout: 4, keepalive_interval: 5, keepalive_count: 4 }
            shared: [media/, .env]
            build: make assets
            reload: touch shared/reload
            """);

        Assert.Equal(new GitSource("git@github.com:me/shop.git", "release"), config.Source);
        Assert.Equal("/srv/shop", config.DeployTo);
        Assert.Equal(3, config.KeepReleases);
        Assert.Equal(
            new SshConfig("deploy", 2200, Path.Combine(TestConfig.BaseDirectory, "keys/deploy"), "/etc/ssh/known", false, TimeSpan.FromSeconds(4), 5, 4),
            config.Ssh);
        Assert.Equal(["10.0.0.1:2200", "local", "10.0.0.2:2200"], config.AllHosts.Select(h => h.Display));
        Assert.Equal(HostConfig.Local("deploy"), config.Roles[0].Hosts[1]);
        Assert.Equal(["media", ".env"], config.Shared);
        Assert.Equal(["make assets"], config.Build);
        Assert.Equal("touch shared/reload", config.Reload);
    }

    [Fact]
    public void Rejects_UnknownKey_WithSuggestion()
    {
        var error = TestConfig.Single("""
            app: demo
            repo: /srv/git/demo.git
            deplyo_to: /srv/demo
            hosts: { web: 10.0.0.1 }
            """);

        Assert.Equal("hoist.yml:3:1: deplyo_to: unknown key 'deplyo_to'; did you mean 'deploy_to'?", error);
    }

    [Fact]
    public void Rejects_UnknownKey_ByPrefix()
    {
        var error = TestConfig.Single(Minimal + "\nkeep: 3");

        Assert.EndsWith("keep: unknown key 'keep'; did you mean 'keep_releases'?", error);
    }

    [Fact]
    public void Rejects_KeepAlive_Settings_Out_Of_Range()
    {
        var errors = TestConfig.Errors(Minimal + "\nssh: { keepalive_interval: -1, keepalive_count: 0 }");

        Assert.Equal(
            [
                "hoist.yml:5:28: ssh.keepalive_interval: must be between 0 and 3600, got -1",
                "hoist.yml:5:49: ssh.keepalive_count: must be between 1 and 1000, got 0",
            ],
            errors);
    }

    [Fact]
    public void Defaults_To_KeepAlives_Every_15_Seconds_3_Unanswered()
    {
        var config = TestConfig.Valid(Minimal);

        Assert.Equal((15, 3), (config.Ssh.KeepAliveInterval, config.Ssh.KeepAliveCount));
    }

    [Fact]
    public void Rejects_UnknownNestedKey_ListingValidKeys()
    {
        var error = TestConfig.Single(Minimal + "\nssh:\n  banana: 1");

        Assert.Equal(
            "hoist.yml:6:3: ssh.banana: unknown key 'banana'; valid keys: user, port, key, known_hosts, forward_agent, connect_timeout, keepalive_interval, keepalive_count, kex_algorithms",
            error);
    }

    [Fact]
    public void Reports_AllErrors_AtOnce()
    {
        var errors = TestConfig.Errors("""
            app: Demo App
            repo: /srv/git/demo.git
            deplyo_to: /srv/demo
            keep_releases: zero
            hosts:
              web:
                - 10.0.0.1:99999
                - 10.0.0.2
            ssh:
              port: [22]
              forward_agent: maybe
            shared: [/media]
            """);

        Assert.Equal(
            [
                "hoist.yml:1:6: app: app name 'Demo App' is invalid: use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit; did you mean 'demo-app'?",
                "hoist.yml:3:1: deplyo_to: unknown key 'deplyo_to'; did you mean 'deploy_to'?",
                "hoist.yml:4:16: keep_releases: expected an integer, got 'zero'",
                "hoist.yml:7:7: hosts.web[0]: invalid host '10.0.0.1:99999': port '99999' must be a number from 1 to 65535; write host, host:port, user@host:port, [v6]:port or local",
                "hoist.yml:10:9: ssh.port: expected an integer, got a list",
                "hoist.yml:11:18: ssh.forward_agent: expected true or false, got 'maybe'",
                "hoist.yml:12:10: shared[0]: '/media' must be relative to the shared folder; did you mean 'media'?",
            ],
            errors);
    }

    [Fact]
    public void Reports_MissingRequiredKeys()
    {
        var errors = TestConfig.Errors("branch: main");

        Assert.Equal(
            [
                "hoist.yml:1:1: app: required key 'app' is missing or empty; add e.g. 'app: myproject'",
                "hoist.yml:1:1: repo: neither 'repo' nor 'upload' is set; add 'repo: <git URL or path>' or 'upload: <local folder>'",
                "hoist.yml:1:1: hosts: required key 'hosts' is missing or empty; add e.g. 'hosts: { web: [203.0.113.10] }'",
            ],
            errors);
    }

    [Fact]
    public void Reports_YamlSyntaxError_AtItsPosition()
    {
        Assert.Equal(
            "hoist.yml:2:6: YAML syntax error: while scanning a plain scalar value, found invalid mapping",
            TestConfig.Single("app: demo\n  bad: x\n"));
    }

    [Fact]
    public void Reports_UnclosedList_WithoutThrowing()
    {
        Assert.Equal(
            "hoist.yml:2:10: YAML syntax error after this point; check for an unclosed '[', '{' or quote",
            TestConfig.Single("app: demo\nhosts: [a, b\nrepo: x"));
    }

    [Fact]
    public void Reports_DuplicateKey()
    {
        Assert.Equal(
            "hoist.yml:5:1: YAML syntax error: duplicate key app; remove one of them",
            TestConfig.Single(Minimal + "\napp: other"));
    }

    [Fact]
    public void Rejects_EmptyFile_AndSecondDocument()
    {
        Assert.Equal("hoist.yml:1:1: the file is empty; start from examples/hoist.example.yml", TestConfig.Single(""));
        Assert.StartsWith("hoist.yml:6:1: only one YAML document", TestConfig.Single(Minimal + "\n---\napp: x"));
    }

    [Fact]
    public void Rejects_WrongNodeKind_NamingWhatWasExpected()
    {
        var errors = TestConfig.Errors("""
            app: [demo]
            repo: /srv/git/demo.git
            hosts: [10.0.0.1]
            """);

        Assert.Equal(
            [
                "hoist.yml:1:6: app: expected an app name such as myproject, got a list",
                "hoist.yml:3:8: hosts: expected a mapping of role to hosts, e.g. { web: [203.0.113.10] }, got a list",
            ],
            errors);
    }

    [Fact]
    public void Rejects_TopLevelList()
    {
        Assert.Equal(
            "hoist.yml:1:1: expected a mapping of settings (app: ..., hosts: ...), got a list",
            TestConfig.Single("- app: demo"));
    }

    [Fact]
    public void Load_ReportsMissingFile_WithHint()
    {
        var folder = Path.Combine(TestConfig.BaseDirectory, "nowhere");

        var error = Assert.Single(ConfigLoader.Load(Path.Combine(folder, "hoist.yml"), TestConfig.Environment()).Errors);

        Assert.Equal($"'hoist.yml' not found in {folder}; pass -c FILE to use another file", error.Message);
        Assert.Equal(0, error.Line);
    }

    [Fact]
    public void Load_ReadsHoistYml_FromAFolder()
    {
        var folder = Directory.CreateTempSubdirectory("hoist-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "hoist.yml"), Minimal.Replace("/srv/git/demo.git", "git/demo.git", StringComparison.Ordinal));

            var result = ConfigLoader.Load(folder, TestConfig.Environment());

            Assert.True(result.Succeeded, string.Join('\n', result.Errors));
            Assert.Equal(Path.Combine(folder, "hoist.yml"), result.Config.ConfigPath);
            Assert.Equal(new GitSource(Path.Combine(folder, "git/demo.git"), "main"), result.Config.Source);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Rejects_DeployTo_Root_At_Its_Line()
    {
        var error = TestConfig.Single(Minimal + "\ndeploy_to: /\n");

        Assert.Equal("hoist.yml:5:12: deploy_to: '/' is a system folder; deploy_to must be a folder of the app's own, at least two levels deep (e.g. /srv/demo or ~/demo)", error);
    }

    [Fact]
    public void Rejects_Nul_In_A_Value_At_Its_Line()
    {
        var error = TestConfig.Single(Minimal + "\nbranch: \"ma\\0in\"\n");

        Assert.Equal("hoist.yml:5:9: branch: contains a NUL character (\\0), which no command, path or variable can carry; remove it", error);
    }

    [Fact]
    public void Rejects_Build_Command_With_A_Shell_Syntax_Error_Naming_It()
    {
        var errors = TestConfig.Errors(Minimal + "\nbuild: [make, 'if then fi']\nreload: 'echo (oops'\nlocal_build: 'echo \"open'\n");

        Assert.Equal(
            """
            hoist.yml:5:15: build[1]: shell syntax error in 'if then fi': line 1: syntax error near unexpected token `then'
            hoist.yml:6:9: reload: shell syntax error in 'echo (oops': line 1: syntax error near unexpected token `oops'
            hoist.yml:7:14: local_build: shell syntax error in 'echo "open': line 1: unexpected EOF while looking for matching `"'
            """,
            string.Join('\n', errors));
    }

    [Fact]
    public void Shows_Twenty_Errors_And_Counts_The_Rest()
    {
        var keys = string.Concat(Enumerable.Range(0, 12_345).Select(i => $"k{i}: 1\n"));

        var errors = TestConfig.Errors(Minimal + "\n" + keys);

        Assert.Equal(21, errors.Count);
        Assert.Equal("hoist.yml:5:1: k0: unknown key 'k0'; valid keys: app, repo, branch, fetch, upload, deploy_to, keep_releases, hosts, ssh, shared, local_build, python, build, reload, env, secrets, serve, setup, hooks, migrate, migrate_on, deploy", errors[0]);
        Assert.Equal("hoist.yml: … and 12,325 more errors; fix the ones above first", errors[20]);
    }

    [Fact]
    public void Quotes_A_Long_Value_Once_And_Shortened()
    {
        var error = TestConfig.Single("app: " + new string('X', 100_000) + "\nrepo: /r\nhosts: { web: h }\n");

        Assert.Equal(
            $"hoist.yml:1:6: app: app name '{new string('X', 60)}… (100,000 characters)' is invalid: use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit; did you mean '{new string('x', 60)}… (100,000 characters)'?",
            error);
    }

    [Fact]
    public void Rejects_Deep_Nesting_Before_It_Is_Loaded()
    {
        var error = TestConfig.Single("app: " + string.Concat(Enumerable.Repeat("[", 50_000)) + string.Concat(Enumerable.Repeat("]", 50_000)));

        Assert.Equal("hoist.yml:1:37: the YAML nests deeper than 32 levels; hoist.yml needs only a few", error);
    }

    [Fact]
    public void Rejects_An_Alias_Bomb_Before_Anything_Walks_It()
    {
        var yaml = new System.Text.StringBuilder(Minimal + "\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 'b'; level <= 'j'; level++)
        {
            yaml.Append($"{level}: &{level} [{string.Join(", ", Enumerable.Repeat("*" + (char)(level - 1), 9))}]\n");
        }

        var error = TestConfig.Single(yaml + "build: *j\n");

        Assert.Matches(@"^hoist.yml:\d+:\d+: the YAML stands for more than 200000 values, counting each alias \(\*name\) as all it repeats; hoist.yml needs a few hundred$", error);
    }
}
