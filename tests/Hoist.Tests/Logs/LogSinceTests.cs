namespace Hoist.Tests.Logs;

using Hoist.Logs;

public sealed class LogSinceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 14, 25, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30s", "2026-12-03T14:24:30Z")]
    [InlineData("10m", "2026-12-03T14:15:00Z")]
    [InlineData("2h", "2026-12-03T12:25:00Z")]
    [InlineData("1d", "2026-12-02T14:25:00Z")]
    [InlineData("2026-12-03T14:00:00Z", "2026-12-03T14:00:00Z")]
    [InlineData("2026-12-03T15:00:00+01:00", "2026-12-03T14:00:00Z")]
    [InlineData("2026-12-03T14:00", "2026-12-03T14:00:00Z")]
    [InlineData("2026-12-03", "2026-12-03T00:00:00Z")]
    public void Reads_Ages_And_Iso_Times_As_Utc(string text, string expected)
    {
        var since = LogSince.Parse(text, Now, out var error);

        Assert.Null(error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), since);
        Assert.Equal(TimeSpan.Zero, since!.Value.Offset);
    }

    [Theory]
    [InlineData("", "'' is neither an age")]
    [InlineData("10", "'10' is neither an age")]
    [InlineData("10 m", "'10 m' is neither an age")]
    [InlineData("-5m", "'-5m' is neither an age")]
    [InlineData("yesterday", "'yesterday' is neither an age (30s, 10m, 2h, 1d) nor an ISO 8601 time")]
    [InlineData("0m", "'0m' is not an age from 1 s to ten years")]
    [InlineData("999999999999d", "'999999999999d' is not an age from 1 s to ten years")]
    [InlineData("12/03/2026", "'12/03/2026' is neither an age")]
    public void Refuses_Anything_Else_Saying_What_It_Takes(string text, string error)
    {
        Assert.Null(LogSince.Parse(text, Now, out var message));
        Assert.StartsWith(error, message, StringComparison.Ordinal);
    }
}
