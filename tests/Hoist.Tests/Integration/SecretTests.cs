namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;

/// <summary>A secret env value reaches the host's commands but never output, --dry-run, --verbose or any argv.</summary>
public sealed class SecretTests : SshdTest
{
    private const string Value = "s3cr3t-V4LUE-9f2b";

    [Fact]
    public async Task Secret_Never_Printed_Nor_In_Argv_But_Reaches_The_Build()
    {
        Dir.Write("publish/a.txt", "a");
        var project = Project.Create(Dir, Sshd, "upload: ./publish",
            $"env: {{ SECRET_KEY: \"{Value}\", MODE: production }}\nsecrets: [SECRET_KEY]\n" +
            "build: [\"printf %s \\\"$SECRET_KEY\\\" > secret.txt\", \"sleep 2\"]\nreload: \"test -n \\\"$SECRET_KEY\\\"\"");

        var dryRun = await project.HoistAsync("deploy", "--dry-run");
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Contains("export SECRET_KEY='[REDACTED]'", dryRun.Stdout);
        Assert.Contains("export MODE=production", dryRun.Stdout);
        Assert.Contains("# dry run: nothing was changed", dryRun.Stdout);
        Assert.False(Directory.Exists(project.DeployTo));

        using var deploy = HoistCli.Start(Dir.Path, "deploy", "--verbose");
        var stdout = deploy.StandardOutput.ReadToEndAsync();
        var stderr = deploy.StandardError.ReadToEndAsync();
        var argvHits = new List<string>();
        while (!deploy.HasExited)
        {
            argvHits.AddRange(ProcessesWithValueInArgv());
            await Task.Delay(50);
        }

        var output = await stdout + await stderr;
        Assert.True(deploy.ExitCode == 0, output);
        Assert.Contains("[REDACTED]", output);
        Assert.Empty(argvHits);
        foreach (var text in new[] { output, dryRun.All })
        {
            Assert.DoesNotContain(Value, text);
        }

        Assert.Equal(Value, project.ReadCurrent("secret.txt"));
        // sshd logs every exec request's command line at LogLevel VERBOSE: the value was never one.
        Assert.Contains("Starting session: command", File.ReadAllText(Sshd.LogFile));
        Assert.DoesNotContain(Value, File.ReadAllText(Sshd.LogFile));
    }

    private static IEnumerable<string> ProcessesWithValueInArgv()
    {
        foreach (var proc in Directory.GetDirectories("/proc").Where(d => char.IsDigit(Path.GetFileName(d)[0])))
        {
            string argv;
            try
            {
                argv = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (argv.Contains(Value, StringComparison.Ordinal))
            {
                yield return $"{proc}: {argv}";
            }
        }
    }
}
