namespace Hoist.Config;

/// <summary>How a deploy's switch is gated (<c>deploy:</c>): what must answer, and how long it may take.</summary>
/// <param name="HealthUrl">A path such as <c>/up</c>, asked through nginx on each host after its reload; null: the reload's exit status alone.</param>
/// <param name="HealthTimeoutSeconds">How long a host has, after its reload, to answer 2xx before the whole fleet goes back.</param>
internal sealed record DeployConfig(string? HealthUrl, int HealthTimeoutSeconds)
{
    public const int DefaultHealthTimeoutSeconds = 60;

    public static readonly DeployConfig Default = new(null, DefaultHealthTimeoutSeconds);
}
