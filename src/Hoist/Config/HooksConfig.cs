namespace Hoist.Config;

/// <summary><c>hooks:</c>, each phase's hooks in the order written.</summary>
internal sealed record HooksConfig(IReadOnlyDictionary<HookPhase, IReadOnlyList<HookConfig>> Phases)
{
    public static readonly HooksConfig None = new(new Dictionary<HookPhase, IReadOnlyList<HookConfig>>());

    /// <summary>hoist.yml's name of each phase, in phase order.</summary>
    public static readonly IReadOnlyList<(HookPhase Phase, string Name)> Names =
    [
        (HookPhase.BeforeDeploy, "before_deploy"),
        (HookPhase.AfterBuild, "after_build"),
        (HookPhase.BeforeSwitch, "before_switch"),
        (HookPhase.AfterSwitch, "after_switch"),
        (HookPhase.AfterDeploy, "after_deploy"),
        (HookPhase.AfterRollback, "after_rollback"),
        (HookPhase.OnFailure, "on_failure"),
    ];

    public IReadOnlyList<HookConfig> For(HookPhase phase) => Phases.TryGetValue(phase, out var hooks) ? hooks : [];

    public static string NameOf(HookPhase phase) => Names.First(n => n.Phase == phase).Name;
}
