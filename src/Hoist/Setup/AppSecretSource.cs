namespace Hoist.Setup;

/// <summary>Where a setup.secrets value comes from in this run.</summary>
internal enum AppSecretSource
{
    /// <summary>The value the web hosts already keep.</summary>
    Kept,

    /// <summary>No web host had one: made now.</summary>
    Generated,

    /// <summary>--rotate-secret: made now, replacing the kept one.</summary>
    Rotated,
}
