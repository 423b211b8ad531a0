namespace Hoist.Deploy.Hooks;

using System.Diagnostics;
using Hoist.Config;
using Hoist.Core;
using Hoist.Output;
using Hoist.Shell;

/// <summary>Runs a <c>local:</c> hook on this machine, in hoist.yml's folder, output streamed and redacted as a build's.</summary>
internal static class LocalHook
{
    /// <returns>The hook's exit status; Ctrl-C ends it (its whole process tree) and throws.</returns>
    public static async Task<int> RunAsync(HoistConfig config, HookConfig hook, HookVariables variables, IReporter reporter, CancellationToken cancel)
    {
        var here = HostConfig.Local(Environment.UserName);
        var start = new ProcessStartInfo("bash", ["-c", hook.Command])
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(config.ConfigPath))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // Through the environment, never argv, so secrets stay out of `ps`.
        foreach (var variable in config.Env)
        {
            start.Environment[variable.Name] = variable.Value.Reveal();
        }

        foreach (var (name, value) in variables.Pairs())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new HoistException($"{hook.Path}: could not start bash for '{hook.Command}'");
        process.StandardInput.Close();
        void Show(string line, bool isError) => reporter.Output(here, Remote.LineCut.Shorten(KnownSecrets.Redact(line)), isError);
        var stdout = Remote.LineReader.PumpAsync(process.StandardOutput.BaseStream, false, Show);
        var stderr = Remote.LineReader.PumpAsync(process.StandardError.BaseStream, true, Show);
        await using (cancel.Register(() => process.Kill(entireProcessTree: true)))
        {
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        }

        cancel.ThrowIfCancellationRequested();
        return process.ExitCode;
    }
}
