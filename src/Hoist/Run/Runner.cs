namespace Hoist.Run;

using Hoist.Config;
using Hoist.Core;
using Hoist.Deploy;
using Hoist.Remote;
using Microsoft.Win32.SafeHandles;

/// <summary>
/// <c>hoist run</c>: one command on one host, in <c>current</c>, as the app's user, with the app's environment, on
/// hoist's own stdin, stdout and stderr (and terminal, when they are one); its exit code is hoist's.
/// </summary>
internal sealed class Runner(RunContext context)
{
    public async Task<int> RunAsync(HostConfig host, string command, bool owner, bool dryRun, CancellationToken cancel)
    {
        var stage = RunScripts.Stage(context.Config, command, owner);
        var user = RunScripts.User(context.Config);
        if (dryRun)
        {
            DryRun.Print(context, [host], stage);
            context.Reporter.Info($"# then, on a channel of its own (with a pty when hoist's stdin and stdout are a terminal), as {user}: " +
                "setpriv --reuid=UID --regid=GID --init-groups --reset-env -- bash /tmp/hoist-run.XXXXXXXXXX " +
                $"(sudo -n -u {user} -- bash ... when the login user is not root), which removes its file first thing");
            return ExitCodes.Ok;
        }

        await using var fleet = await context.ConnectAsync([host], cancel).ConfigureAwait(false);
        var run = (await fleet.RunAsync(_ => stage, null, quiet: true, cancel).ConfigureAwait(false)).Single();
        var report = RunReport.Read(run);
        if (report.Error is { } error)
        {
            throw new HoistException($"{host.Display}: {error}; nothing was run");
        }

        if (!run.Ok)
        {
            throw new HoistException(run.Lost ?? $"{host.Display}: hoist run could not prepare the command (exit {run.ExitCode}); nothing was run" +
                (run.Output.Count > 0 ? ":\n" + run.Tail() : ""));
        }

        string attach;
        try
        {
            attach = RunScripts.Attach(report, user);
        }
        catch (FormatException unexpected)
        {
            throw new HoistException($"{host.Display}: {unexpected.Message}; nothing was run");
        }

        context.Reporter.Verbose(host, $"run: {attach}");
        await Console.Out.FlushAsync(cancel).ConfigureAwait(false);
        try
        {
            return RunExit.Code(await fleet.AttachAsync(host, attach, Io(), cancel).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await StopAsync(fleet, host, report.File!).ConfigureAwait(false);
            throw;
        }
        catch (Exception lost) when (lost is HostGoneException or Renci.SshNet.Common.SshException or IOException or System.Net.Sockets.SocketException)
        {
            throw new HoistException($"{host.Display}: the connection was lost while `{command}` ran, so how it ended is unknown: {lost.Message}");
        }
    }

    /// <summary>Ends what the interrupted command left running (see <see cref="RunScripts.Stop"/>), bounded: hoist is on its way out.</summary>
    private async Task StopAsync(Fleet fleet, HostConfig host, string file)
    {
        using var bound = new CancellationTokenSource(StopWait);
        try
        {
            var stop = (await fleet.RunAsync(_ => RunScripts.Stop(context.Config, file), null, quiet: true, bound.Token).ConfigureAwait(false)).Single();
            if (!stop.Ok)
            {
                context.Reporter.Warn($"{host.Display}: could not stop the interrupted command (exit {stop.ExitCode}); it may still run there as {RunScripts.User(context.Config)}");
            }
        }
        catch (Exception error) when (error is OperationCanceledException or HostGoneException or HoistException or IOException or Renci.SshNet.Common.SshException)
        {
            context.Reporter.Warn($"{host.Display}: could not stop the interrupted command ({error.Message}); it may still run there as {RunScripts.User(context.Config)}");
        }
    }

    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(20);

    private static AttachIo Io()
    {
        // fd 0 itself, not Console.OpenStandardInput(): on a terminal, .NET's stream reads through its own line editor.
        var input = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 0);
        var tty = LocalTerminal.Interactive ? new AttachTerminal(LocalTerminal.Term, LocalTerminal.Size(), LocalTerminal.Raw) : null;
        return new AttachIo(input, Console.OpenStandardOutput(), Console.OpenStandardError(), tty);
    }
}
