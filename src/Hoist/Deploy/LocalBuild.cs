namespace Hoist.Deploy;

using System.Diagnostics;
using Hoist.Config;
using Hoist.Core;
using Hoist.Output;

/// <summary>Runs <c>local_build</c> on the deploying machine before any host is touched; a failure stops the deploy there.</summary>
internal static class LocalBuild
{
    public static async Task RunAsync(HoistConfig config, IReporter reporter, CancellationToken cancel)
    {
        var folder = Path.GetDirectoryName(config.ConfigPath)!;
        var here = HostConfig.Local(Environment.UserName);
        foreach (var command in config.LocalBuild)
        {
            reporter.Info($"local build: {command}");
            var start = new ProcessStartInfo("bash", ["-c", command])
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var variable in config.Env)
            {
                // Through the environment, never argv, so secrets stay out of `ps`.
                start.Environment[variable.Name] = variable.Value.Reveal();
            }

            using var process = Process.Start(start) ?? throw new HoistException($"local_build: could not start bash for '{command}'");
            process.StandardInput.Close();
            var stdout = Remote.LineReader.PumpAsync(process.StandardOutput.BaseStream, false, (line, err) => reporter.Output(here, line, err));
            var stderr = Remote.LineReader.PumpAsync(process.StandardError.BaseStream, true, (line, err) => reporter.Output(here, line, err));
            await using (cancel.Register(() => process.Kill(entireProcessTree: true)))
            {
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            }

            cancel.ThrowIfCancellationRequested();
            if (process.ExitCode != 0)
            {
                throw new HoistException($"local_build '{command}' failed (exit {process.ExitCode}) in {folder}; nothing was deployed");
            }
        }

        if (config.Source is UploadSource upload && !Directory.Exists(upload.LocalPath))
        {
            throw new HoistException($"upload folder {upload.LocalPath} does not exist after local_build; make local_build write it");
        }
    }
}
