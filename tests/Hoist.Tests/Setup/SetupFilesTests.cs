namespace Hoist.Tests.Setup;

using Hoist.Config;
using Hoist.Setup;
using Hoist.Tests.Config;
using Hoist.Tests.Support;

/// <summary>The files hoist setup writes on the hosts, as text: reviewed golden files.</summary>
public sealed class SetupFilesTests
{
    internal const string Yaml = """
        app: myproject
        repo: /srv/git/myproject.git
        deploy_to: /srv/myproject
        shared: [.env, media]
        hosts:
          web: [root@10.77.3.2, root@10.77.3.4]
          db: root@10.77.3.3
        serve:
          socket: /srv/myproject/shared/run/app.sock
          chmod_socket: 660
          chdir: /srv/myproject/current
          wsgi_file: wsgi.py
          callable: app
          workers: 2
          healthcheck: /up
          env_file: /srv/myproject/shared/.env
        setup:
          nginx:
            server_name: myproject.example.com www.myproject.example.com
            client_max_body_size: 75m
        """;

    [Fact]
    public void Serve_Ini_Of_An_Asgi_App_Names_It_With_Asgi()
    {
        var config = TestConfig.Valid(Yaml.Replace("  wsgi_file: wsgi.py\n  callable: app\n", "  asgi: main:app\n", StringComparison.Ordinal));

        var ini = ServeIniFile.Render(config.App, config.Serve!, "/srv/myproject/shared/.env");

        Assert.Contains("\nasgi = main:app\n", ini, StringComparison.Ordinal);
        Assert.DoesNotContain("module", ini, StringComparison.Ordinal);
        Assert.DoesNotContain("callable", ini, StringComparison.Ordinal);
    }

    [Fact]
    public void Nginx_Site_Takes_Its_WebSocket_Read_Timeout_From_Setup()
    {
        var config = TestConfig.Valid(Yaml.Replace("client_max_body_size: 75m", "client_max_body_size: 75m\n    read_timeout: 10m", StringComparison.Ordinal));

        var site = NginxSite.Render(config.App, config.DeployTo, config.Setup!.Nginx, config.Serve!.Listen);

        Assert.Contains("        proxy_read_timeout 10m;\n        proxy_send_timeout 10m;\n", site, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header Connection $hoist_connection_upgrade;", site, StringComparison.Ordinal);
    }

    [Fact]
    public void Web_Setup_Writes_The_Upgrade_Map_Before_The_Site_That_Uses_It()
    {
        var script = WebSetupScript.Build(TestConfig.Valid(Yaml), [], new WebSecrets(null, null), "upload-0123456789ab", dryRun: false).Show();

        var map = script.IndexOf(NginxUpgradeMap.File, StringComparison.Ordinal);
        Assert.True(map >= 0 && map < script.IndexOf("sites-available/myproject", StringComparison.Ordinal), script);
    }

    [Fact]
    public void Nginx_Site_Serves_Static_And_Media_From_Disk_And_Proxies_The_Rest_To_The_Socket()
    {
        var config = TestConfig.Valid(Yaml);

        Golden.Match("setup/nginx-site.conf", NginxSite.Render(config.App, config.DeployTo, config.Setup!.Nginx, config.Serve!.Listen));
    }

    [Fact]
    public void Systemd_Unit_Runs_Hoist_Serve_As_The_App_User()
    {
        var config = TestConfig.Valid(Yaml);

        Golden.Match("setup/hoist-serve.service", SystemdUnit.Render(config.App, config.Setup!.User, config.Setup.HoistPath, "/srv/myproject/shared/serve.ini", config.DeployTo, config.Serve!));
    }

    [Fact]
    public void Systemd_Unit_Keeps_The_App_Users_Own_Group_So_Serve_Ini_Stays_Readable()
    {
        var config = TestConfig.Valid(Yaml);

        var unit = SystemdUnit.Render(config.App, config.Setup!.User, config.Setup.HoistPath, "/srv/myproject/shared/serve.ini", config.DeployTo, config.Serve!);

        // Group=www-data would make the process's groups getgrouplist(user, www-data), without the user's own group.
        Assert.DoesNotContain("\nGroup=", unit, StringComparison.Ordinal);
        Assert.Contains("\nSupplementaryGroups=www-data\n", unit, StringComparison.Ordinal);
    }

    [Fact]
    public void Systemd_Unit_Waits_For_A_Graceful_Stop_Three_Mercy_Times_And_A_Margin()
    {
        // The front drains, then the workers, then each has the mercy again after SIGTERM: 3 × 90 s + 30 s.
        var config = TestConfig.Valid(Yaml.Replace("  workers: 2\n", "  workers: 2\n  worker_reload_mercy: 90\n", StringComparison.Ordinal));

        var unit = SystemdUnit.Render(config.App, config.Setup!.User, config.Setup.HoistPath, "/srv/myproject/shared/serve.ini", config.DeployTo, config.Serve!);

        Assert.Contains("\nTimeoutStopSec=300\n", unit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Systemd_Unit_Passes_Systemd_Analyze_Verify()
    {
        var config = TestConfig.Valid(Yaml);
        using var dir = new TempDir("hoist-unit");
        // verify checks that ExecStart's program exists: the hoist built with these tests stands in for /usr/local/bin/hoist.
        var hoist = Path.Combine(AppContext.BaseDirectory, "hoist");
        var unit = dir.Write("myproject.service", SystemdUnit.Render(config.App, config.Setup!.User, hoist, "/srv/myproject/shared/serve.ini", config.DeployTo, config.Serve!));

        var result = await Run.ProcessAsync("systemd-analyze", ["verify", unit]);

        Assert.True(result.ExitCode == 0 && result.Stderr.Trim().Length == 0, result.ToString());
    }

    [Fact]
    public void Pg_Hba_Admits_Both_Roles_Only_From_The_Web_Hosts()
    {
        var config = TestConfig.Valid(Yaml);

        Golden.Match("setup/pg_hba-block.conf", PgHba.Render(config.App, config.Setup!.Database!));
    }

    [Fact]
    public void Database_Sql_Gives_The_App_Role_Rows_Only()
    {
        var config = TestConfig.Valid(Yaml);

        Golden.Match("setup/database.sql", DatabaseSql.Render(config.Setup!.Database!, "[OWNER VERIFIER]", "[APP VERIFIER]"));
    }

    [Fact]
    public void Db_Script_Gets_Verifiers_Only_And_Shows_Them_Redacted()
    {
        var config = TestConfig.Valid(Yaml);

        var script = DbSetupScript.Build(config, ["postgresql-contrib"], Scram.Verifier("myproject_owner", "owner-pw"), Scram.Verifier("myproject_app", "app-pw"), "upload-0123456789ab", dryRun: false);

        Golden.Match("setup/setup-db.sh", script.Show());
        Assert.DoesNotContain("SCRAM-SHA-256$", script.Show(), StringComparison.Ordinal);
        Assert.Contains(Scram.Verifier("myproject_app", "app-pw"), script.Render(reveal: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Web_Script_Shows_The_Database_Urls_And_App_Secrets_Redacted()
    {
        var config = TestConfig.Valid(Yaml);
        var secrets = new WebSecrets("postgresql://myproject_app:app-pw@10.77.3.3:5432/myproject", "postgresql://myproject_owner:owner-pw@10.77.3.3:5432/myproject")
        {
            AppSecrets = [KeyValuePair.Create("SECRET_KEY", "generated-secret-key-0123")],
        };

        var script = WebSetupScript.Build(config, ["python3-flask"], secrets, "upload-0123456789ab", dryRun: false);

        Golden.Match("setup/setup-web.sh", script.Show());
        Assert.DoesNotContain("app-pw", script.Show(), StringComparison.Ordinal);
        Assert.DoesNotContain("generated-secret-key", script.Show(), StringComparison.Ordinal);
        Assert.Contains("app-pw", script.Render(reveal: true), StringComparison.Ordinal);
        Assert.Contains("env_set SECRET_KEY \"$value\"", script.Show(), StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_Ini_Asks_The_Health_Check_With_The_Sites_First_Server_Name()
    {
        var script = WebScript(Yaml);

        Assert.Contains("healthcheck-host = myproject.example.com\n", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_Ini_Keeps_The_Health_Check_Host_That_Serve_Names()
    {
        var yaml = Yaml.Replace("  healthcheck: /up\n", "  healthcheck: /up\n  healthcheck_host: internal.myproject.test\n", StringComparison.Ordinal);

        Assert.Equal("internal.myproject.test", TestConfig.Valid(yaml).Serve!.HealthCheckHost);
        Assert.Contains("healthcheck-host = internal.myproject.test\n", WebScript(yaml), StringComparison.Ordinal);
        Assert.DoesNotContain("healthcheck-host = myproject.example.com", WebScript(yaml), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_")]
    [InlineData("*.example.com")]
    [InlineData("~www.example.com")]
    public void Serve_Ini_Names_No_Health_Check_Host_When_Server_Name_Names_No_Single_Host(string serverName)
    {
        var yaml = Yaml.Replace("server_name: myproject.example.com www.myproject.example.com", $"server_name: '{serverName}'", StringComparison.Ordinal);

        Assert.DoesNotContain("healthcheck-host", WebScript(yaml), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_Follow_The_App_Name_And_The_Hosts()
    {
        var setup = TestConfig.Valid(Yaml).Setup!;

        Assert.Equal("myproject", setup.User);
        Assert.Equal("/usr/local/bin/hoist", setup.HoistPath);
        Assert.Equal(ServiceMode.Auto, setup.Service);
        Assert.Equal(("myproject", "myproject_owner", "myproject_app", 5432, "10.77.3.3"), (setup.Database!.Name, setup.Database.Owner, setup.Database.User, setup.Database.Port, setup.Database.Host));
        Assert.Equal(["10.77.3.2/32", "10.77.3.4/32"], setup.Database.AllowFrom);
        Assert.Equal([new("/static/", "current/static"), new("/media/", "shared/media")], setup.Nginx.Locations);
        Assert.True(setup.Nginx.RemoveDefaultSite);
    }

    [Fact]
    public void Setup_Installs_Git_Only_Where_Hosts_Fetch()
    {
        Assert.Contains("\npackages nginx git || true\n", WebScript(Yaml), StringComparison.Ordinal);
        Assert.Contains("\npackages nginx || true\n", WebScript(Yaml + "\nfetch: local\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Setup_Installs_Python3_Venv_On_Web_Hosts_When_Python_Venv_Is_True()
    {
        Assert.Contains("\npackages nginx git python3-venv || true\n", WebScript(Yaml + "\npython: { venv: true }\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("python3-venv", WebScript(Yaml), StringComparison.Ordinal);
    }

    private static string WebScript(string yaml) =>
        WebSetupScript.Build(TestConfig.Valid(yaml), [], new WebSecrets(null, null), "upload-0123456789ab", dryRun: false).Show();

    [Fact]
    public void Same_Password_Same_Verifier_Another_Password_Another()
    {
        var first = Scram.Verifier("myproject_app", "pw1");

        Assert.Equal(first, Scram.Verifier("myproject_app", "pw1"));
        Assert.NotEqual(first, Scram.Verifier("myproject_app", "pw2"));
        Assert.NotEqual(first, Scram.Verifier("myproject_owner", "pw1"));
        Assert.Matches(@"^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$", first);
        Assert.Matches("^[A-Za-z0-9]{32}$", Scram.NewPassword());
    }

    [Theory]
    [InlineData("setup: { user: root }", "setup.user: the app must not run as root")]
    [InlineData("setup: { nginx: { server_name: 'a.example.com; include /etc/passwd' } }", "setup.nginx.server_name: 'a.example.com; include /etc/passwd' can only hold host names")]
    [InlineData("setup: { nginx: { client_max_body_size: lots } }", "setup.nginx.client_max_body_size: 'lots' is not a size")]
    [InlineData("setup: { nginx: { read_timeout: forever } }", "setup.nginx.read_timeout: 'forever' is not a time; write a number with s, m, h or d, such as 1h")]
    [InlineData("setup: { nginx: { read_timeout: '1h; include /etc/passwd' } }", "setup.nginx.read_timeout: '1h; include /etc/passwd' is not a time")]
    [InlineData("setup: { nginx: { locations: { static: current/static } } }", "setup.nginx.locations.static: 'static' is not a URL prefix")]
    [InlineData("setup: { nginx: { locations: { /static/: ../etc } } }", "setup.nginx.locations./static/: '../etc' is not a plain folder path")]
    [InlineData("setup: { database: { user: myproject_owner } }", "setup.database: owner and user must differ")]
    [InlineData("setup: { database: { name: My-DB } }", "setup.database.name: 'My-DB' is not a plain PostgreSQL name")]
    [InlineData("setup: { database: { allow_from: [web1] } }", "setup.database.allow_from[0]: 'web1' is not an IP address or CIDR range")]
    [InlineData("setup: { packages: { worker: [redis] } }", "setup.packages.worker: no role 'worker' in hosts")]
    [InlineData("setup: { service: upstart }", "setup.service: 'upstart' is not a service mode")]
    public void Bad_Values_Are_Errors_That_Say_Where(string setup, string expected)
    {
        var yaml = """
            app: myproject
            repo: /srv/git/myproject.git
            deploy_to: /srv/myproject
            hosts:
              web: [10.77.3.2]
              db: 10.77.3.3

            """ + setup;

        var errors = TestConfig.Errors(yaml);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_Default_Name_That_Postgres_Would_Not_Take_Points_At_The_Setup_Section()
    {
        var errors = TestConfig.Errors("""
            app: 9shop
            repo: /srv/git/shop.git
            hosts:
              web: [10.77.3.2]
              db: 10.77.3.3
            setup: {}
            """);

        Assert.Contains("hoist.yml:6:8: setup.database.name: the default name '9shop' is not a plain PostgreSQL name; set setup.database.name", errors.First(e => e.Contains("setup.database.name", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Web_Hosts_Named_By_Name_Need_Allow_From()
    {
        var errors = TestConfig.Errors("""
            app: myproject
            repo: /srv/git/myproject.git
            hosts:
              web: [web1.example.com]
              db: 10.77.3.3
            setup: {}
            """);

        Assert.Contains(errors, e => e.Contains("setup.database.allow_from: pg_hba needs the web hosts' IP addresses, and web1.example.com is not one", StringComparison.Ordinal));
    }
}
