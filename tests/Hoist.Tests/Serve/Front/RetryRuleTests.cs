namespace Hoist.Tests.Serve.Front;

using System.Net.Sockets;
using Hoist.Serve.Front;
using Yarp.ReverseProxy.Forwarder;

public sealed class RetryRuleTests
{
    private static readonly HttpRequestException Ended = new(HttpRequestError.ResponseEnded, "The response ended prematurely.");
    private static readonly HttpRequestException Refused = new(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public void Sends_Again_An_Idempotent_Request_That_Met_A_Closing_Connection(string method) =>
        Assert.True(RetryRule.MaySendAgain(ForwarderError.Request, method, hasBody: false, responseStarted: false, fresh: false, Ended));

    [Fact]
    public void Keeps_A_Post_That_May_Have_Reached_The_Worker() =>
        Assert.False(RetryRule.MaySendAgain(ForwarderError.Request, "POST", hasBody: false, responseStarted: false, fresh: false, Ended));

    [Fact]
    public void Sends_Again_A_Post_That_Never_Reached_The_Worker() =>
        Assert.True(RetryRule.MaySendAgain(ForwarderError.Request, "POST", hasBody: false, responseStarted: false, fresh: true, Refused));

    // On a pooled connection the refusal may be SocketsHttpHandler's own second attempt, after the first reached the worker.
    [Fact]
    public void Keeps_A_Post_Refused_After_It_Went_On_A_Pooled_Connection() =>
        Assert.False(RetryRule.MaySendAgain(ForwarderError.Request, "POST", hasBody: false, responseStarted: false, fresh: false, Refused));

    [Fact]
    public void Keeps_A_Post_That_Met_A_Closing_New_Connection() =>
        Assert.False(RetryRule.MaySendAgain(ForwarderError.Request, "PATCH", hasBody: false, responseStarted: false, fresh: true, Ended));

    [Fact]
    public void Keeps_A_Request_With_A_Body_It_Cannot_Replay() =>
        Assert.False(RetryRule.MaySendAgain(ForwarderError.Request, "PUT", hasBody: true, responseStarted: false, fresh: true, Refused));

    [Fact]
    public void Keeps_A_Request_Whose_Answer_Began() =>
        Assert.False(RetryRule.MaySendAgain(ForwarderError.Request, "GET", hasBody: false, responseStarted: true, fresh: false, Ended));

    // The worker died after its head, before its body: nothing reached the client, and YARP set a 502.
    [Fact]
    public void Sends_Again_A_Get_Whose_Worker_Died_After_The_Head_Before_The_Client_Got_Anything() =>
        Assert.True(RetryRule.MaySendAgain(ForwarderError.ResponseBodyDestination, "GET", hasBody: false, responseStarted: false, fresh: false, Ended));

    [Fact]
    public void Keeps_A_Post_Whose_Worker_Died_After_The_Head_Since_It_Took_It() =>
        Assert.False(RetryRule.MaySendAgain(ForwarderError.ResponseBodyDestination, "POST", hasBody: false, responseStarted: false, fresh: true, Ended));

    [Fact]
    public void Keeps_A_Get_Whose_Body_Had_Begun_Reaching_The_Client() =>
        Assert.False(RetryRule.MaySendAgain(ForwarderError.ResponseBodyDestination, "GET", hasBody: false, responseStarted: true, fresh: false, Ended));

    [Theory]
    [InlineData(ForwarderError.ResponseBodyClient)]
    [InlineData(ForwarderError.ResponseHeaders)]
    [InlineData(ForwarderError.RequestCanceled)]
    [InlineData(ForwarderError.RequestTimedOut)]
    public void Keeps_A_Get_That_Failed_Otherwise(ForwarderError error) =>
        Assert.False(RetryRule.MaySendAgain(error, "GET", hasBody: false, responseStarted: false, fresh: false, Ended));

    [Fact]
    public void Causes_Lists_The_Exception_Chain_Outermost_First() =>
        Assert.Equal("HttpRequestException: Connection refused <- SocketException: Connection refused", RetryRule.Causes(Refused));
}
