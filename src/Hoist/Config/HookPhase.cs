namespace Hoist.Config;

/// <summary>The points of a deploy or rollback where <c>hooks:</c> run, in the order a deploy reaches them.</summary>
internal enum HookPhase
{
    BeforeDeploy,
    AfterBuild,
    BeforeSwitch,
    AfterSwitch,
    AfterDeploy,
    AfterRollback,
    OnFailure,
}
