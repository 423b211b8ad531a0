namespace Hoist.Tests.Serve.Config;

public sealed class ServeConfigBuilderTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("Yes", true)]
    [InlineData("ON", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("Off", false)]
    [InlineData("0", false)]
    public void Accepts_BooleanWords(string word, bool expected)
    {
        Assert.Equal(expected, TestIni.Valid(TestIni.With($"vacuum = {word}\nmaster = {word}\ndie-on-term = {word}\n")).Vacuum);
    }

    [Fact]
    public void Defaults_ClientTimeouts_To_10s_Head_And_30s_Body()
    {
        var config = TestIni.Valid(TestIni.With(""));

        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)), (config.ClientHeaderTimeout, config.ClientBodyTimeout));
    }

    [Fact]
    public void Reads_ClientTimeouts()
    {
        var config = TestIni.Valid(TestIni.With("client-header-timeout = 2\nclient-body-timeout = 7\n"));

        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(7)), (config.ClientHeaderTimeout, config.ClientBodyTimeout));
    }

    [Fact]
    public void Defaults_ReloadProbation_To_1s_And_Reads_0()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), TestIni.Valid(TestIni.With("")).ReloadProbation);
        Assert.Equal(TimeSpan.Zero, TestIni.Valid(TestIni.With("reload-probation = 0\n")).ReloadProbation);
    }

    [Fact]
    public void Reads_Processes_AsWorkers()
    {
        Assert.Equal(5, TestIni.Valid(TestIni.With("processes = 5\n")).Workers);
    }

    [Fact]
    public void Rejects_ProcessesAndWorkers()
    {
        Assert.Equal(
            "app.ini:5:11: workers: 'processes' and 'workers' are both set and mean the same; keep one",
            TestIni.Single(TestIni.With("processes = 5\nworkers = 5\n")));
    }

    [Theory]
    [InlineData("processes = 0", "app.ini:4:13: processes: must be at least 1, got 0")]
    [InlineData("harakiri = 0", "app.ini:4:12: harakiri: must be at least 1, got 0")]
    [InlineData("max-requests = -5", "app.ini:4:16: max-requests: must be at least 1, got -5")]
    [InlineData("reload-on-rss = 1.5", "app.ini:4:17: reload-on-rss: expected an integer, got '1.5'")]
    [InlineData("log-maxsize = 10M", "app.ini:4:15: log-maxsize: expected an integer, got '10M'")]
    [InlineData("ready-timeout = soon", "app.ini:4:17: ready-timeout: expected an integer, got 'soon'")]
    [InlineData("client-header-timeout = 0", "app.ini:4:25: client-header-timeout: must be at least 1, got 0")]
    [InlineData("client-body-timeout = 1.5", "app.ini:4:23: client-body-timeout: expected an integer, got '1.5'")]
    [InlineData("reload-probation = -1", "app.ini:4:20: reload-probation: must be between 0 and 3600, got -1")]
    [InlineData("master = always", "app.ini:4:10: master: expected true or false (or yes/no, on/off, 1/0), got 'always'")]
    [InlineData("pidfile =", "app.ini:4:10: pidfile: 'pidfile' has no value; give a path or remove it")]
    [InlineData("logto = ~bob/app.log", "app.ini:4:9: logto: '~bob/app.log': only '~/' is expanded, not '~user/'; write an absolute path")]
    public void Rejects_BadValue(string line, string expected)
    {
        Assert.Equal(expected, TestIni.Single(TestIni.With(line + "\n")));
    }

    [Fact]
    public void Quotes_ValueAsWritten_AndExpanded()
    {
        Assert.Equal(
            "app.ini:5:13: processes: expected an integer, got '%(n)' (= 'five')",
            TestIni.Single(TestIni.With("n = five\nprocesses = %(n)\n")));
    }

    [Fact]
    public void Accepts_PluginsAnyValue()
    {
        TestIni.Valid(TestIni.With("plugins = python3,http\n"));
    }

    [Theory]
    [InlineData("up", "; did you mean '/up'?")]
    [InlineData("/health check", "")]
    public void Rejects_HealthCheck_NotAPath(string value, string hint)
    {
        Assert.Equal(
            $"app.ini:4:15: healthcheck: '{value}' is not a URL path; write one starting with '/', such as /up{hint}",
            TestIni.Single(TestIni.With($"healthcheck = {value}\n")));
    }

    [Theory]
    [InlineData("myproject.example.com")]
    [InlineData("example.com:8000")]
    [InlineData("[::1]:8000")]
    [InlineData("localhost")]
    public void Reads_HealthCheckHost(string host)
    {
        Assert.Equal(host, TestIni.Valid(TestIni.With($"healthcheck = /up\nhealthcheck-host = {host}\n")).HealthCheckHost);
    }

    [Fact]
    public void Leaves_HealthCheckHost_Unset_By_Default_Which_Asks_With_Localhost()
    {
        Assert.Null(TestIni.Valid(TestIni.With("healthcheck = /up\n")).HealthCheckHost);
        Assert.Equal("localhost", Hoist.Serve.Config.ServeConfig.DefaultHealthCheckHost);
    }

    [Theory]
    [InlineData("https://example.com")]
    [InlineData("example.com/up")]
    [InlineData("a b")]
    public void Rejects_HealthCheckHost_NotAHostName(string value)
    {
        Assert.Equal(
            $"app.ini:5:20: healthcheck-host: '{value}' is not a host name; write the name the app answers to, such as example.com (a :port may follow)",
            TestIni.Single(TestIni.With($"healthcheck = /up\nhealthcheck-host = {value}\n")));
    }

    [Fact]
    public void Rejects_HealthCheckHost_Without_HealthCheck()
    {
        Assert.Equal(
            "app.ini:4:20: healthcheck-host: 'healthcheck-host' is set but 'healthcheck' is not, so no request is made; set 'healthcheck' to a path such as /up, or remove this",
            TestIni.Single(TestIni.With("healthcheck-host = example.com\n")));
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(204, true)]
    [InlineData(301, true)]
    [InlineData(302, true)]
    [InlineData(399, true)]
    [InlineData(199, false)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(500, false)]
    public void Counts_2xx_And_3xx_As_Healthy(int status, bool healthy)
    {
        Assert.Equal(healthy, Hoist.Serve.Workers.ReadinessProbe.IsHealthy(status));
    }

    [Fact]
    public void Does_NotReport_ValueThatFailedToExpand_Again()
    {
        Assert.Equal(
            "app.ini:4:13: processes: environment variable N is not set; export it before starting hoist serve",
            TestIni.Single(TestIni.With("processes = $(N)\n")));
    }
}
