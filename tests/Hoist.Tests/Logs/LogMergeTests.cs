namespace Hoist.Tests.Logs;

using Hoist.Logs;

public sealed class LogMergeTests
{
    [Fact]
    public void Reads_The_Stamps_Of_Logto_The_Journal_And_Nginx_And_None_Elsewhere()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 14, 25, 17, 123, TimeSpan.Zero), LogLine.TimeOf("2026-12-03T14:25:17.123Z [hoist] ready"));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 14, 25, 17, 123, TimeSpan.Zero).AddTicks(4560),
            LogLine.TimeOf("2026-12-03T14:25:17.123456+00:00 web1 hoist[321]: started"));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 13, 25, 17, TimeSpan.Zero), LogLine.TimeOf("2026-12-03T14:25:17+01:00 web1 x"));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 14, 25, 17, TimeSpan.Zero), LogLine.TimeOf("2026/12/03 14:25:17 [error] 12#12: *1 connect() failed"));
        Assert.Null(LogLine.TimeOf("Traceback (most recent call last):"));
        Assert.Null(LogLine.TimeOf(""));
        Assert.Null(LogLine.TimeOf("2026-13-45T99:99:99.000Z [hoist] forged"));
        Assert.Null(LogLine.TimeOf("2026/12/03"));
    }

    [Fact]
    public void Interleaves_Hosts_By_Time_Keeping_Unstamped_Lines_After_Their_Start_And_Ties_In_Order()
    {
        var web1 = Lines("web1", "2026-12-03T14:00:01.000Z [w0] a", "  continued a", "2026-12-03T14:00:03.000Z [w0] c");
        var web2 = Lines("web2", "2026-12-03T14:00:02.000Z [w1] b", "2026-12-03T14:00:03.000Z [w1] c2", "2026-12-03T14:00:04.000Z [w1] d");

        var merged = LogMerge.ByTime([web1, web2]);

        Assert.Equal(
            ["[web1] 2026-12-03T14:00:01.000Z [w0] a", "[web1]   continued a", "[web2] 2026-12-03T14:00:02.000Z [w1] b",
             "[web1] 2026-12-03T14:00:03.000Z [w0] c", "[web2] 2026-12-03T14:00:03.000Z [w1] c2", "[web2] 2026-12-03T14:00:04.000Z [w1] d"],
            merged.Select(l => l.Display));
    }

    [Fact]
    public void A_Source_With_No_Stamp_At_All_Comes_First_In_Its_Own_Order_And_Tags_Show_The_Source()
    {
        var journal = new[] { LogLine.Of("web1", LogSource.Journal, "no stamp 1"), LogLine.Of("web1", LogSource.Journal, "no stamp 2") };
        var nginx = new[] { LogLine.Of("web1", LogSource.Nginx, "2026/12/03 14:00:00 [error] x") };

        Assert.Equal(["[web1] journal: no stamp 1", "[web1] journal: no stamp 2", "[web1] nginx: 2026/12/03 14:00:00 [error] x"],
            LogMerge.ByTime([nginx, journal]).Select(l => l.Display));
    }

    [Fact]
    public void Last_Keeps_The_Newest_Lines()
    {
        var lines = Lines("web1", "2026-12-03T14:00:01.000Z 1", "2026-12-03T14:00:02.000Z 2", "2026-12-03T14:00:03.000Z 3");

        Assert.Equal(["2026-12-03T14:00:02.000Z 2", "2026-12-03T14:00:03.000Z 3"], LogMerge.Last(lines, 2).Select(l => l.Text));
        Assert.Equal(3, LogMerge.Last(lines, 100).Count);
    }

    private static IReadOnlyList<LogLine> Lines(string host, params string[] texts) => texts.Select(t => LogLine.Of(host, LogSource.Logto, t)).ToList();
}
