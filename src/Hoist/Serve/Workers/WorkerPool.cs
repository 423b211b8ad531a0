namespace Hoist.Serve.Workers;

/// <summary>
/// The slots, the workers alive, and which of them receive requests. A worker is registered only once its process
/// runs, and one whose process already ended is never registered or put in a slot, so nothing dead is left behind.
/// </summary>
internal sealed class WorkerPool(int size, IWorkerRuntime runtime, Func<Backoff> backoff)
{
    private readonly Slot[] slots = Enumerable.Range(1, size).Select(i => new Slot(i, backoff())).ToArray();
    private readonly List<Worker> live = [];
    private readonly ManualResetEventSlim noneReady = new(initialState: true);
    private Worker[] routable = [];
    private bool closed;

    /// <summary>Guards slots and the list of live workers.</summary>
    public Lock Gate { get; } = new();

    public IReadOnlyList<Slot> Slots => slots;

    public Slot this[int index] => slots[index - 1];

    public IReadOnlyList<Worker> Routable => Volatile.Read(ref routable);

    /// <summary>Set while no worker is in rotation, so that a front can wait for that instead of polling.</summary>
    public WaitHandle NoneReady => noneReady.WaitHandle;

    /// <summary>Raised after the routable workers changed (outside the lock).</summary>
    public event Action? Published;

    public IReadOnlyList<Worker> Live
    {
        get
        {
            lock (Gate)
            {
                return live.ToList();
            }
        }
    }

    /// <summary>Adds a started worker to the live ones; false (and it is forgotten) when its process already ended.</summary>
    public bool Register(Worker worker)
    {
        lock (Gate)
        {
            if (!worker.Gone)
            {
                live.Add(worker);
                return true;
            }
        }

        runtime.Forget(worker);
        return false;
    }

    /// <summary>
    /// The one place a worker is forgotten: out of the live ones and of the runtime's routes, never put in a slot again.
    /// True when it was its slot's current worker (so a crash of it leaves the slot to restart).
    /// </summary>
    public bool Forget(Worker worker)
    {
        bool wasCurrent;
        lock (Gate)
        {
            worker.Gone = true;
            live.Remove(worker);
            var slot = this[worker.Slot];
            wasCurrent = slot.Current == worker;
            if (slot.Held == worker)
            {
                slot.Held = null;
            }
        }

        runtime.Forget(worker);
        return wasCurrent;
    }

    /// <summary>
    /// Puts a ready worker in its slot and in rotation. From a restart loop (<paramref name="endsRestart"/>) the slot's
    /// restarting ends in the same step: a worker that dies right after must find the slot not restarting, or nobody
    /// restarts it. False when the worker is already gone.
    /// </summary>
    public bool Install(Slot slot, Worker worker, GenerationRelease release, bool endsRestart = false)
    {
        Worker? crashed;
        lock (Gate)
        {
            if (worker.Gone)
            {
                return false;
            }

            // A crashed predecessor (forgotten, so no retire or probe is on it) leaves every hand here.
            crashed = slot.Current is { Gone: true } previous && previous != worker ? previous : null;
            slot.Current = worker;
            slot.Release = release;
            slot.Errored = false;
            slot.LastFailure = null;
            slot.Restarting &= !endsRestart;
        }

        Publish();
        if (crashed is not null)
        {
            runtime.Release(crashed);
        }

        return true;
    }

    /// <summary>Keeps <paramref name="worker"/> (out of rotation) as the slot's held one, of <paramref name="release"/>; false when it is none or already gone (the release is kept either way).</summary>
    public bool Hold(Slot slot, Worker? worker, GenerationRelease? release)
    {
        lock (Gate)
        {
            slot.HeldRelease = release;
            if (worker is not { Gone: false })
            {
                return false;
            }

            slot.Held = worker;
            return true;
        }
    }

    /// <summary>Ends the slot's hold: its held worker (null when none, or it died) and that worker's release.</summary>
    public (Worker? Worker, GenerationRelease? Release) TakeHeld(Slot slot)
    {
        lock (Gate)
        {
            var taken = (slot.Held, slot.HeldRelease);
            slot.Held = null;
            slot.HeldRelease = null;
            return taken;
        }
    }

    /// <summary>Marks the slot restarting; false when it already is (one restart loop per slot).</summary>
    public bool BeginRestart(Slot slot)
    {
        lock (Gate)
        {
            if (slot.Restarting)
            {
                return false;
            }

            slot.Restarting = true;
            return true;
        }
    }

    public void EndRestart(Slot slot)
    {
        lock (Gate)
        {
            slot.Restarting = false;
        }
    }

    /// <summary>No worker receives requests any more (hoist serve is stopping).</summary>
    public void Close()
    {
        lock (Gate)
        {
            closed = true;
            Volatile.Write(ref routable, []);
            noneReady.Set();
        }

        Published?.Invoke();
    }

    public void Publish()
    {
        lock (Gate)
        {
            // Written under the lock: two publishes never leave the older picture in place.
            var ready = closed ? [] : slots.Select(s => s.Current).OfType<Worker>().Where(w => w.State == WorkerState.Ready && !w.Gone).ToArray();
            Volatile.Write(ref routable, ready);
            if (ready.Length == 0)
            {
                noneReady.Set();
            }
            else
            {
                noneReady.Reset();
            }
        }

        Published?.Invoke();
    }
}
