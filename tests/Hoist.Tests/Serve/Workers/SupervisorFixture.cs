namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Config;
using Hoist.Serve.Logging;
using Hoist.Serve.Workers;
using Hoist.Tests.Support;
using Microsoft.Extensions.Time.Testing;

/// <summary>A supervisor over a <see cref="FakeRuntime"/> and a <see cref="FakeTimeProvider"/>, with its log in a temp file.</summary>
internal sealed class SupervisorFixture : IDisposable
{
    /// <summary>How long a test waits for something that happens at once in real time (a continuation on the pool).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly TempDir dir = new("hoist-supervisor");
    private readonly ServeLog log;

    /// <param name="probation">A reload's probation: none unless a test is about it, so that reloads need no fake time.</param>
    public SupervisorFixture(int workers = 2, Func<ServeConfig, ServeConfig>? configure = null, double random01 = 0.5, TimeSpan? probation = null)
    {
        Config = new ServeConfig
        {
            SourcePath = dir.Combine("serve.ini"),
            Listen = new UnixListen(dir.Combine("app.sock")),
            App = new CommandApp("true"),
            ControlSocket = dir.Combine("app.sock.ctl"),
            Workers = workers,
            Mercy = TimeSpan.FromSeconds(30),
        };
        Config = configure?.Invoke(Config) ?? Config;
        Runtime = new FakeRuntime(Clock);
        log = new ServeLog(dir.Combine("serve.log"), 1 << 20);
        Supervisor = new Supervisor(Config, Runtime, log, Clock, () => random01, probation ?? TimeSpan.Zero);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public ServeConfig Config { get; }

    public FakeRuntime Runtime { get; }

    public Supervisor Supervisor { get; }

    public string Log() => File.ReadAllText(dir.Combine("serve.log"));

    /// <summary>
    /// Moves fake time on in steps until <paramref name="condition"/> holds (a backoff or drain waiting on the clock),
    /// failing after <see cref="Bound"/> of real time; returns how much fake time that took.
    /// </summary>
    public async Task<TimeSpan> AdvanceUntilAsync(Func<bool> condition, string what, TimeSpan? step = null)
    {
        var began = Clock.GetUtcNow();
        var real = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(real.Elapsed < Bound, $"never happened: {what} (fake time {Clock.GetUtcNow() - began} on)\n{Log()}");
            Clock.Advance(step ?? TimeSpan.FromMilliseconds(100));
            await Task.Delay(1); // lets the continuations the clock released run on the pool
        }

        return Clock.GetUtcNow() - began;
    }

    /// <summary>Waits in real time (bounded) for something that needs no fake time, only the pool's threads.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var real = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(real.Elapsed < Bound, $"never happened: {what}\n{Log()}");
            await Task.Delay(1);
        }
    }

    public void Dispose()
    {
        log.Dispose();
        dir.Dispose();
    }
}
