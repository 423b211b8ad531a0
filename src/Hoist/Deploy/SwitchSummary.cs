namespace Hoist.Deploy;

using System.Globalization;
using Hoist.Core;
using Hoist.Remote;

/// <summary>Says how a gated switch ended, host by host, for deploy and rollback alike; a reverted one is an error.</summary>
internal static class SwitchSummary
{
    /// <param name="liveText">What a committed host says, e.g. "release X (abc1234) is live at ...".</param>
    public static int Finish(RunContext context, SwitchOutcome outcome, IReadOnlyDictionary<string, SwitchPlan> plans, string verb, Func<HostRun, string> liveText)
    {
        return outcome.Committed ? Committed(context, outcome, plans, verb, liveText) : throw Reverted(context, outcome, plans, verb);
    }

    private static int Committed(RunContext context, SwitchOutcome outcome, IReadOnlyDictionary<string, SwitchPlan> plans, string verb, Func<HostRun, string> liveText)
    {
        var failures = new List<string>();
        foreach (var run in outcome.Ended)
        {
            var plan = plans[run.Host.Key];
            // Every host was healthy: the release is live everywhere; what failed here is the bookkeeping after it.
            var summary = run.Lost is not null
                ? $"release {plan.ReleaseId} is live and was healthy, but the commit was cut off: {run.Lost}; its lock and history draft may be left: " +
                  $"once it answers, run `hoist lock release --force --host {run.Host.Display}`"
                : !run.Ok ? $"release {plan.ReleaseId} is live and was healthy, but the commit failed (exit {run.ExitCode}): {run.Tail()}"
                : null;
            var report = CommitReport.Read(run);
            if (report.PruneFailed)
            {
                context.Reporter.Warn($"{run.Host.Display}: some old releases could not be removed (see above); they will be retried on the next deploy");
            }

            if (report.ServeCommitFailed)
            {
                context.Reporter.Warn($"{run.Host.Display}: hoist serve did not stop the old workers it held (see above); they stop by themselves when the hold ends");
            }

            context.Reporter.HostDone(run.Host, summary is null, summary ?? liveText(run));
            if (summary is not null)
            {
                failures.Add($"{run.Host.Display}: {summary}");
            }
        }

        var hosts = failures.Count;
        failures.AddRange(outcome.LbUnfinished);
        return failures.Count == 0 ? 0
            : throw new HoistException(
                $"the {verb} is live on every host, but finishing it failed" + (hosts > 0 ? $" on {hosts} of {outcome.Ended.Count}" : "") +
                (outcome.LbUnfinished.Count > 0 ? (hosts > 0 ? " and on the lb" : " on the lb") : "") + $":\n{string.Join('\n', failures)}", ExitCodes.Failure);
    }

    private static HoistException Reverted(RunContext context, SwitchOutcome outcome, IReadOnlyDictionary<string, SwitchPlan> plans, string verb)
    {
        var failedKeys = outcome.Failed.Select(f => f.Run.Host.Key).ToHashSet();
        var notBack = new List<string>();
        foreach (var run in outcome.Switched)
        {
            var plan = plans[run.Host.Key];
            var revert = outcome.Ended.FirstOrDefault(r => r.Host.Key == run.Host.Key);
            string text;
            if (revert is null)
            {
                text = Switcher.DescribeLost(run, plan.ReleaseId, verb) + "; it was not put back (no connection)";
                notBack.Add($"{run.Host.Display}: {text}");
            }
            else if (!revert.Ok)
            {
                text = revert.Lost is not null ? $"the revert was cut off: {Switcher.DescribeLost(revert, plan.ReleaseId, verb)}" : $"the revert failed (exit {revert.ExitCode}): {revert.Tail()}";
                notBack.Add($"{run.Host.Display}: {text}");
            }
            else
            {
                text = RevertReport.Read(revert).Reverted switch
                {
                    null => "current had not moved here; lock released",
                    RevertReport.NothingBefore => $"nothing to go back to (its first release): {plan.ReleaseId} stays current" + (outcome.Failed.Count == 0 ? "" : ", marked bad"),
                    var back => $"back on {back}" + (plan.ReleaseId == back || outcome.Failed.Count == 0 ? "" : $"; {plan.ReleaseId} is marked bad"),
                };
            }

            context.Reporter.HostDone(run.Host, !failedKeys.Contains(run.Host.Key) && revert?.Ok == true, text);
        }

        var seconds = outcome.RevertTime!.Value.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        context.Reporter.Info($"fleet rollback: {outcome.Ended.Count(r => r.Ok)} of {outcome.Switched.Count} hosts back in {seconds} s from the decision");
        var failed = string.Join('\n', outcome.Failed.Select(f => $"{f.Run.Host.Display}: {f.Why}"));
        var where = notBack.Count == 0
            ? $"every host was put back where it was ({seconds} s from the decision)"
            : $"every other host was put back ({seconds} s from the decision), but not:\n{string.Join('\n', notBack)}";
        var what = outcome.Failed.Count == 0 ? $"the {verb} was interrupted (Ctrl-C or SIGTERM) during its switch"
            : $"the {verb} failed on {string.Join(", ", outcome.Failed.Select(f => f.Run.Host.Display))}" + (outcome.Interrupted ? " and was interrupted" : "");
        return new HoistException($"{what}; {where}" + (failed.Length == 0 ? "" : "\n" + failed), outcome.Interrupted ? ExitCodes.Interrupted : ExitCodes.Failure);
    }
}
