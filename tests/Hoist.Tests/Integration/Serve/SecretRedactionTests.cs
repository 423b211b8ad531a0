namespace Hoist.Tests.Integration.Serve;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// What a deploy shows in direct mode (no systemd): `hoist serve --daemon` reloading a running server whose new worker
/// prints what it got from the env-file, then fails. The real binary, real workers.
/// </summary>
public sealed class SecretRedactionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_Failed_Reload_Shows_The_Workers_Last_Lines_With_Env_File_Values_And_Url_Passwords_Redacted()
    {
        using var dir = new TempDir("hoist-serve-redact");
        var env = dir.Write(".env", "DATABASE_URL = postgresql://app:Sup3rSecretPw@10.0.0.3/mydb\r\nexport SECRET_KEY='s3cr3t value'\r\nDEBUG=1\r\n");
        var (ini, _) = CommandIni.Write(dir, 1,
            $"if [ -e {dir.Combine("broken")} ]; then echo \"db $DATABASE_URL key $SECRET_KEY debug $DEBUG other amqp://guest:hunter22@mq\" >&2; " +
                // Secrets where a long line is cut (500 characters): hidden whole, not cut to a prefix first ("s3cr3t ",
                // "postgresql://app:Sup3r").
                $"pad=`head -c 490 /dev/zero | tr '\\0' x`; echo \"$pad$SECRET_KEY\"; pad=`head -c 475 /dev/zero | tr '\\0' x`; echo \"$pad$DATABASE_URL\"; exit 3; fi; " +
                CommandIni.HttpServer,
            $"env-file = {env}",
            "healthcheck = /",
            $"logto = {dir.Combine("serve.log")}",
            "vacuum = true");
        Task<RunResult> Serve(params string[] args) => HoistCli.RunAsync(dir.Path, ["serve", "--ini", ini, .. args]);
        var started = await Serve("--daemon");
        Assert.True(started.ExitCode == 0, started.ToString());
        try
        {
            File.WriteAllText(dir.Combine("broken"), "");
            var reload = await Serve("--daemon");
            var status = await Serve("--status", "--json");

            output.WriteLine($"--daemon (reload): {reload}\n--status: {status}");
            Assert.Equal(1, reload.ExitCode);
            Assert.Contains("reload stopped: the new worker 1 exited with status 3 before becoming ready", reload.Stderr, StringComparison.Ordinal);
            Assert.Contains("    db [REDACTED] key [REDACTED] debug 1 other amqp://guest:[REDACTED]@mq", reload.Stderr, StringComparison.Ordinal);
            Assert.Contains("db [REDACTED] key [REDACTED]", status.Stdout, StringComparison.Ordinal);
            foreach (var secret in (string[])["Sup3rSecretPw", "Sup3r", "s3cr3t", "hunter22"])
            {
                Assert.DoesNotContain(secret, reload.All, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, status.All, StringComparison.Ordinal);
            }
        }
        finally
        {
            await Serve("--stop");
        }
    }
}
