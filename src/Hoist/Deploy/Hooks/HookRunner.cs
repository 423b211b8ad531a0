namespace Hoist.Deploy.Hooks;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote;

/// <summary>Runs one phase's hooks in the order written: a local one here, a remote one on its hosts in parallel.</summary>
internal sealed class HookRunner(RunContext context)
{
    /// <param name="targets">The hosts a remote hook runs on (the first alone with <c>once</c>).</param>
    /// <param name="variablesFor">Each host's variables (null: this machine's, for a local hook).</param>
    /// <param name="stopAtFirst">A before_* phase stops at its first failing hook; an after_* one runs them all.</param>
    /// <returns>One message per failed hook (and host), naming it.</returns>
    public async Task<IReadOnlyList<string>> RunAsync(
        HookPhase phase, Fleet? fleet, IReadOnlyList<HostConfig> targets, Func<HostConfig?, HookVariables> variablesFor,
        LockInfo? underLock, bool stopAtFirst, CancellationToken cancel)
    {
        var failures = new List<string>();
        foreach (var hook in context.Config.Hooks.For(phase))
        {
            var before = failures.Count;
            context.Reporter.Info($"hook {hook.Describe()}");
            if (!hook.Remote)
            {
                var exit = await LocalHook.RunAsync(context.Config, hook, variablesFor(null), context.Reporter, cancel).ConfigureAwait(false);
                if (exit != 0)
                {
                    failures.Add($"hook {hook.Describe()} failed here (exit {exit}) in {Path.GetDirectoryName(Path.GetFullPath(context.Config.ConfigPath))}");
                }
            }
            else if (fleet is null || targets.Count == 0)
            {
                context.Reporter.Warn($"hook {hook.Path} skipped: no host to run it on");
            }
            else
            {
                var on = (hook.Once ? targets.Take(1) : targets).Select(h => h.Key).ToHashSet();
                var runs = await fleet.RunAsync(
                    h => on.Contains(h.Key) ? RemoteHookScript.Build(context.Config, hook, variablesFor(h), underLock) : null, null, quiet: false, cancel).ConfigureAwait(false);
                failures.AddRange(runs.Where(r => !r.Ok).Select(r =>
                    $"hook {hook.Describe()} failed on {r.Host.Display} ({r.Lost ?? $"exit {r.ExitCode}"})" + (r.Output.Count > 0 ? ":\n    " + r.Tail().Replace("\n", "\n    ", StringComparison.Ordinal) : "")));
            }

            foreach (var failure in failures.Skip(before))
            {
                context.Reporter.Warn(failure);
            }

            if (stopAtFirst && failures.Count > 0)
            {
                break;
            }
        }

        return failures;
    }
}
