namespace Hoist.Config;

/// <summary>How a deploy's switch is gated (<c>deploy:</c>): what must answer, how long it may take, and how many hosts at a time.</summary>
/// <param name="HealthUrl">A path such as <c>/up</c>, asked through nginx on each host after its reload; null: the reload's exit status alone.</param>
/// <param name="HealthTimeoutSeconds">How long a host has, after its reload, to answer 2xx before the whole fleet goes back.</param>
/// <param name="Batch">How many hosts switch at a time, each batch healthy before the next; null: every host at once.</param>
/// <param name="Canary">1: one host switches (and is healthy) alone first, then the rest in batches; 0: no canary.</param>
internal sealed record DeployConfig(string? HealthUrl, int HealthTimeoutSeconds, BatchSize? Batch = null, int Canary = 0)
{
    public const int DefaultHealthTimeoutSeconds = 60;

    public static readonly DeployConfig Default = new(null, DefaultHealthTimeoutSeconds);
}
