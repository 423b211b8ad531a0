namespace Hoist.Setup;

/// <summary>The value one of setup.secrets gets on every web host, and why (<see cref="AppSecretPlan"/>).</summary>
/// <param name="Missing">Web hosts whose shared/.env lacks it (they get the fleet's value).</param>
internal sealed record AppSecretChoice(string Name, string Value, AppSecretSource Source, IReadOnlyList<string> Missing)
{
    /// <summary>Never the value.</summary>
    public override string ToString() => $"{Name} ({Source})";
}
