using Mandate.Core.OAuth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Fronts.OAuth;

/// <summary>Reads an <c>application/x-www-form-urlencoded</c> body strictly (the only encoding RFC 6749 allows), bounded in size.</summary>
public static class OAuthForm
{
    /// <summary>Largest body accepted.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly FormOptions Options = new()
    {
        ValueCountLimit = 64,
        KeyLengthLimit = 128,
        ValueLengthLimit = TokenExchangeRequestParser.MaxParameterLength,
        BufferBody = false,
    };

    /// <summary>The parameters as pairs (a repeated name appears several times), or the error to answer with.</summary>
    public static async Task<(List<KeyValuePair<string, string>>? Form, OAuthError? Error)> ReadAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return (null, new OAuthError(OAuthErrorCodes.InvalidRequest, "use POST"));
        }
        var mediaType = context.Request.ContentType?.Split(';', 2)[0].Trim();
        if (!string.Equals(mediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new OAuthError(OAuthErrorCodes.InvalidRequest, "the body must be application/x-www-form-urlencoded"));
        }
        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            return (null, new OAuthError(OAuthErrorCodes.InvalidRequest, "the body is too large"));
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(Options, context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException or InvalidOperationException)
        {
            return (null, new OAuthError(OAuthErrorCodes.InvalidRequest, "the form body cannot be read"));
        }
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in form)
        {
            foreach (var value in values)
            {
                pairs.Add(new(name, value ?? ""));
            }
        }
        return (pairs, null);
    }

    /// <summary>The single value of <paramref name="name"/>, or an error when it is missing or repeated.</summary>
    public static (string? Value, OAuthError? Error) Single(List<KeyValuePair<string, string>> form, string name)
    {
        var values = form.Where(p => p.Key == name).Select(p => p.Value).ToArray();
        return values.Length switch
        {
            0 => (null, new OAuthError(OAuthErrorCodes.InvalidRequest, $"parameter `{name}` is required")),
            > 1 => (null, new OAuthError(OAuthErrorCodes.InvalidRequest, $"parameter `{name}` is repeated")),
            _ when values[0].Length == 0 => (null, new OAuthError(OAuthErrorCodes.InvalidRequest, $"parameter `{name}` is required")),
            _ => (values[0], null),
        };
    }
}
