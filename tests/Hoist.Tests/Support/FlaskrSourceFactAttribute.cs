namespace Hoist.Tests.Support;

/// <summary>A test of Flask's own flaskr: skipped at discovery, with the reason, where <see cref="FlaskrSource"/> has no source (never a silent pass).</summary>
public sealed class FlaskrSourceFactAttribute : FactAttribute
{
    public FlaskrSourceFactAttribute()
    {
        if (FlaskrSource.Missing() is { } reason)
        {
            Skip = reason;
        }
    }
}
