using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Mandate.Server.Configuration;

namespace Mandate.Server.Flow.Approve;

/// <summary>
/// POSTs a new approval request to the configured webhook, signed so the receiver can tell it came from Mandate and
/// is fresh: <c>Mandate-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;." + body)&gt;</c>. A
/// receiver recomputes the MAC over the exact body bytes and refuses a timestamp outside its replay window
/// (5 minutes is a sensible one). Delivery is retried a few times; it never holds a request.
/// </summary>
public sealed class ApprovalNotifier
{
    /// <summary>The signature header's name.</summary>
    public const string SignatureHeader = "Mandate-Signature";

    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    /// <summary>Creates the notifier.</summary>
    public ApprovalNotifier(HttpClient http, TimeProvider time)
    {
        _http = http;
        _time = time;
    }

    /// <summary>The signature header value for <paramref name="body"/> at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, byte[] body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        byte[] signed = [.. prefix, .. body];
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>Delivers <paramref name="body"/>; the last status (0 when nothing answered) after up to four attempts.</summary>
    public async Task<int> DeliverAsync(WebhookConfig webhook, byte[] body, CancellationToken cancellationToken)
    {
        var status = 0;
        for (var attempt = 0; attempt <= Backoff.Length; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(webhook.Secret, _time.GetUtcNow().ToUnixTimeSeconds(), body));
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                using var response = await _http.SendAsync(request, timeout.Token);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return status;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                status = 0;
            }

            if (attempt < Backoff.Length)
            {
                await Task.Delay(Backoff[attempt], _time, cancellationToken);
            }
        }

        return status;
    }
}
