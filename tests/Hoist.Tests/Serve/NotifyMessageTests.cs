namespace Hoist.Tests.Serve;

using Hoist.Serve;

public sealed class NotifyMessageTests
{
    [Fact]
    public void Ready_Says_Ready_With_Status_And_Main_Pid()
    {
        Assert.Equal("READY=1\nSTATUS=2 worker(s) ready\nMAINPID=4242", NotifyMessage.Ready(4242, "2 worker(s) ready"));
    }

    [Fact]
    public void Reloading_Carries_The_Monotonic_Time()
    {
        Assert.Equal("RELOADING=1\nMONOTONIC_USEC=123456789\nSTATUS=reloading (SIGHUP): generation 2", NotifyMessage.Reloading(123456789, "reloading (SIGHUP): generation 2"));
    }

    [Fact]
    public void Stopping_And_Status()
    {
        Assert.Equal("STOPPING=1\nSTATUS=stopping", NotifyMessage.Stopping("stopping"));
        Assert.Equal("STATUS=starting 2 worker(s)", NotifyMessage.Status("starting 2 worker(s)"));
    }

    [Fact]
    public void A_Status_Is_Only_The_First_Line_So_It_Can_Neither_Add_A_Key_Nor_Carry_Worker_Output()
    {
        var message = NotifyMessage.Ready(7, "reload stopped: the new worker 1 exited with status 3\r\n  its last output:\n    DATABASE_URL=postgresql://app:Sup3rSecret@db/x\nREADY=1");

        Assert.Equal("READY=1\nSTATUS=reload stopped: the new worker 1 exited with status 3\nMAINPID=7", message);
        Assert.Equal([new("STATUS", "worker 1 exited")], NotifyMessage.Parse(NotifyMessage.Status("  worker 1 exited\nREADY=1\r\n")));
    }

    [Fact]
    public void A_Status_Is_Capped_At_200_Characters_So_A_Datagram_Never_Hits_EMSGSIZE()
    {
        var status = NotifyMessage.Parse(NotifyMessage.Stopping("failed: " + new string('x', 100_000)))[1].Value;

        Assert.Equal(NotifyMessage.MaxStatus, status.Length);
        Assert.Equal(200, NotifyMessage.MaxStatus);
        Assert.EndsWith("x...", status, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Reads_Each_Key_In_Order()
    {
        Assert.Equal(
            [new("READY", "1"), new("STATUS", "a=b"), new("MAINPID", "7")],
            NotifyMessage.Parse("READY=1\nSTATUS=a=b\nMAINPID=7\n"));
    }
}
