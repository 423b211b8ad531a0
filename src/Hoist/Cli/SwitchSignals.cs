namespace Hoist.Cli;

/// <summary>What a signal does during deploy's and rollback's switch, for both verbs' --help (as Switcher and VerbRunner do it).</summary>
internal static class SwitchSignals
{
    public static string Help(string verb) =>
        "Ctrl-C (or SIGTERM) during the switch: the switches in flight finish (no later batch starts), then every switched host goes back " +
        "to where it was (audit reason=interrupted; nothing is marked bad) and every web host back in the lb's upstream, the lock is released, " +
        $"exit 130. A second Ctrl-C exits at once (130) and leaves things as they are, printing what may be left (current may already point " +
        $"at the {verb}'s release on some hosts, the lock held) and how to put it back.";
}
