using Mandate.Core.OAuth;

namespace Mandate.Core.Tests.OAuth;

/// <summary>The token exchange request rules, one per test.</summary>
public sealed class TokenExchangeRequestParserTests
{
    private const string Grant = TokenTypeUris.TokenExchangeGrant;

    private static List<KeyValuePair<string, string>> Form(params (string Name, string Value)[] pairs) =>
        [new("grant_type", Grant), .. pairs.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))];

    private static OAuthError Error(TokenExchangeParseResult r) => Assert.IsType<OAuthError>(r.Error);

    [Fact]
    public void Parse_FullRequest_ReadsEveryParameter()
    {
        var result = TokenExchangeRequestParser.Parse(Form(
            ("subject_token", "s.t.x"), ("subject_token_type", TokenTypeUris.AccessToken),
            ("actor_token", "a.t.x"), ("actor_token_type", TokenTypeUris.Jwt),
            ("scope", "tickets:read  tickets:read tickets:write"),
            ("resource", "https://api.example/tickets"), ("resource", "https://api.example/docs"),
            ("audience", "tickets"),
            ("authorization_details", """[{"type":"agent_task","intent":"triage","actions":["read"],"tools":["search"],"resources":["Ticket::42"]}]"""),
            ("expires_in", "120"),
            ("unknown_param", "ignored")));

        Assert.True(result.Ok, result.Error?.ToString());
        var r = result.Request;
        Assert.Equal("s.t.x", r.SubjectToken);
        Assert.Equal("a.t.x", r.ActorToken);
        Assert.Equal(["tickets:read", "tickets:write"], r.Scopes);
        Assert.Equal(["https://api.example/tickets", "https://api.example/docs"], r.Resources);
        Assert.Equal(["tickets"], r.Audiences);
        var task = Assert.Single(r.AuthorizationDetails);
        Assert.Equal("triage", task.Intent);
        Assert.Equal(["read"], task.Actions);
        Assert.Equal(["search"], task.Tools);
        Assert.Equal(["Ticket::42"], task.Resources);
        Assert.Equal(TimeSpan.FromSeconds(120), r.RequestedLifetime);
    }

    [Fact]
    public void Parse_WrongGrantType_UnsupportedGrantType()
    {
        var r = TokenExchangeRequestParser.Parse([new("grant_type", "client_credentials")]);
        Assert.Equal(OAuthErrorCodes.UnsupportedGrantType, Error(r).Error);
    }

    [Fact]
    public void Parse_NoGrantType_InvalidRequest()
    {
        var r = TokenExchangeRequestParser.Parse([new("scope", "a")]);
        Assert.Equal(OAuthErrorCodes.InvalidRequest, Error(r).Error);
        Assert.Contains("grant_type", Error(r).Description);
    }

    [Theory]
    [InlineData("scope")]
    [InlineData("subject_token")]
    [InlineData("grant_type")]
    [InlineData("authorization_details")]
    public void Parse_RepeatedParameter_InvalidRequestNamingIt(string name)
    {
        var form = Form((name, "x"), (name, "y"));
        var r = TokenExchangeRequestParser.Parse(form);
        Assert.Equal(OAuthErrorCodes.InvalidRequest, Error(r).Error);
        Assert.Contains($"`{name}` is repeated", Error(r).Description);
    }

    [Fact]
    public void Parse_IdTokenAsSubject_Refused()
    {
        var r = TokenExchangeRequestParser.Parse(Form(("subject_token", "a.b.c"), ("subject_token_type", TokenTypeUris.IdToken)));
        Assert.Equal(OAuthErrorCodes.InvalidRequest, Error(r).Error);
        Assert.Contains("id token", Error(r).Description);
    }

    [Fact]
    public void Parse_UnknownTokenType_Refused()
    {
        var r = TokenExchangeRequestParser.Parse(Form(("subject_token", "a.b.c"), ("subject_token_type", "urn:example:saml")));
        Assert.Equal(OAuthErrorCodes.InvalidRequest, Error(r).Error);
    }

    [Fact]
    public void Parse_TokenWithoutType_Refused()
    {
        var r = TokenExchangeRequestParser.Parse(Form(("actor_token", "a.b.c")));
        Assert.Contains("actor_token_type", Error(r).Description);
    }

    [Theory]
    [InlineData("tickets")]
    [InlineData("https://api.example/x#frag")]
    public void Parse_BadResource_InvalidTarget(string resource)
    {
        var r = TokenExchangeRequestParser.Parse(Form(("resource", resource)));
        Assert.Equal(OAuthErrorCodes.InvalidTarget, Error(r).Error);
    }

    [Fact]
    public void Parse_ScopeWithQuote_InvalidScope()
    {
        var r = TokenExchangeRequestParser.Parse(Form(("scope", "a\"b")));
        Assert.Equal(OAuthErrorCodes.InvalidScope, Error(r).Error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    public void Parse_BadExpiresIn_InvalidRequest(string value)
    {
        var r = TokenExchangeRequestParser.Parse(Form(("expires_in", value)));
        Assert.Equal(OAuthErrorCodes.InvalidRequest, Error(r).Error);
    }

    [Fact]
    public void Parse_UnknownDetailType_NotSupported()
    {
        var r = TokenExchangeRequestParser.Parse(Form(("authorization_details", """[{"type":"payment_initiation"}]""")));
        Assert.Equal(OAuthErrorCodes.InvalidRequest, Error(r).Error);
        Assert.Equal("authorization_details type not supported", Error(r).Description);
    }

    [Theory]
    [InlineData("""[{"type":"agent_task","intent":"a","intent":"b"}]""")]
    [InlineData("""{"type":"agent_task"}""")]
    [InlineData("""[{"type":"agent_task","tools":"search"}]""")]
    [InlineData("""[{"type":"agent_task","tools":[1]}]""")]
    [InlineData("""[{"type":"agent_task","extra":true}]""")]
    [InlineData("""[{"intent":"x"}]""")]
    [InlineData("""[{"type":"agent_task"},]""")]
    [InlineData("not json")]
    [InlineData("""[{"type":"agent_task","intent":"\ud800"}]""")]
    [InlineData("""[{"type":"\udc00"}]""")]
    [InlineData("""[{"type":"agent_task","tools":["\ud800x"]}]""")]
    [InlineData("""[{"type":"agent_task","\udc00":1}]""")]
    public void Parse_BadAuthorizationDetails_Refused(string json)
    {
        var r = TokenExchangeRequestParser.Parse(Form(("authorization_details", json)));
        Assert.Equal(OAuthErrorCodes.InvalidAuthorizationDetails, Error(r).Error);
    }

    [Fact]
    public void Parse_EmptyValue_TreatedAsAbsent()
    {
        var r = TokenExchangeRequestParser.Parse(Form(("subject_token", ""), ("subject_token_type", "")));
        Assert.True(r.Ok);
        Assert.Null(r.Request.SubjectToken);
    }
}
