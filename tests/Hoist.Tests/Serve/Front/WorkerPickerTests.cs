namespace Hoist.Tests.Serve.Front;

using Hoist.Serve.Front;
using Hoist.Serve.Workers;

public sealed class WorkerPickerTests
{
    [Fact]
    public void Picks_The_Worker_With_The_Fewest_Requests_In_Flight()
    {
        var (busy, idle) = (Ready(1), Ready(2));
        busy.BeginRequest();
        var picker = new WorkerPicker();

        var picks = Enumerable.Range(0, 10).Select(_ => picker.Pick([busy, idle])).ToList();

        Assert.All(picks, w => Assert.Same(idle, w));
    }

    [Fact]
    public void Spreads_Equals_Evenly_So_None_Is_Starved()
    {
        var workers = new[] { Ready(1), Ready(2), Ready(3) };
        var picker = new WorkerPicker();

        var counts = Enumerable.Range(0, 300).Select(_ => picker.Pick(workers)!.Slot).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal([100, 100, 100], workers.Select(w => counts.GetValueOrDefault(w.Slot)));
    }

    [Fact]
    public void A_Restarted_Worker_Takes_New_Requests_Only_Until_It_Has_As_Many_In_Flight_As_The_Others()
    {
        // Right after slot 1 came back under 32 clients: slot 2 holds 31 requests, slot 1 none. Least in flight
        // sends the next 31 to slot 1 (what the kill test saw as "100 in a row"), then alternates.
        var (back, loaded) = (Ready(1), Ready(2));
        for (var i = 0; i < 31; i++)
        {
            loaded.BeginRequest();
        }

        var picker = new WorkerPicker();
        var picks = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            var worker = picker.Pick([back, loaded])!;
            worker.BeginRequest();
            picks.Add(worker.Slot);
        }

        Assert.All(picks.Take(31), slot => Assert.Equal(1, slot));
        Assert.Contains(2, picks.Skip(31));
        Assert.InRange(picks.Skip(31).Count(s => s == 2), 4, 5);
    }

    [Fact]
    public void Skips_A_Worker_That_Left_Rotation()
    {
        var (retiring, ready) = (Ready(1), Ready(2));
        retiring.State = WorkerState.Retiring;

        Assert.Same(ready, new WorkerPicker().Pick([retiring, ready]));
        Assert.Null(new WorkerPicker().Pick([]));
    }

    private static Worker Ready(int slot) => new(slot, 1, 40000 + slot, $"/tmp/w{slot}", "/srv/app/releases/1", 0) { State = WorkerState.Ready };
}
