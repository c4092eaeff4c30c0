using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Mandate.Demo;

/// <summary>
/// The demo's upstream: a small real HTTP API on 127.0.0.1 with tickets, documents, payments and a
/// legacy endpoint that only takes a static API key. It knows nothing about agents or policies;
/// that is the gateway's job. Data lives in memory and resets on every start.
/// </summary>
public sealed class SampleApi : IAsyncDisposable
{
    /// <summary>The header the legacy endpoint reads its static key from.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received;

    private SampleApi(WebApplication app, Uri baseAddress, ConcurrentQueue<ReceivedRequest> received)
    {
        _app = app;
        BaseAddress = baseAddress;
        _received = received;
    }

    /// <summary>Where the API listens, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Every request received so far, in arrival order (tests use it to prove a denied call never arrived).</summary>
    public IReadOnlyList<ReceivedRequest> ReceivedRequests => _received.ToArray();

    /// <summary>Starts the API on 127.0.0.1.</summary>
    public static async Task<SampleApi> StartAsync(SampleApiOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.LegacyApiKey);
        var builder = LoopbackApp.CreateBuilder("Mandate.Demo.SampleApi", options.Port);
        builder.Services.AddSingleton(options.Tickets);
        builder.Services.AddSingleton(new PaymentLedger(time));
        var app = builder.Build();
        var received = new ConcurrentQueue<ReceivedRequest>();
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            received.Enqueue(new ReceivedRequest(
                request.Method,
                request.Path.ToUriComponent() + request.QueryString.ToUriComponent(),
                request.Headers.ContainsKey("Authorization"),
                request.Headers.TryGetValue(ApiKeyHeader, out var key) ? key.ToString() : null));
            await next(context).ConfigureAwait(false);
        });
        MapTickets(app);
        MapDocuments(app);
        MapPayments(app);
        MapLegacy(app, options.LegacyApiKey);
        var address = await LoopbackApp.StartAsync(app, cancellationToken).ConfigureAwait(false);
        return new SampleApi(app, address, received);
    }

    private static void MapTickets(WebApplication app)
    {
        app.MapGet("/tickets", (TicketStore store) => Results.Ok(store.List()));
        app.MapGet("/tickets/{id}", (string id, TicketStore store) =>
            store.Find(id) is { } ticket ? Results.Ok(ticket) : NotFound("ticket", id));
        app.MapPost("/tickets", (TicketDraft draft, TicketStore store) =>
        {
            if (string.IsNullOrWhiteSpace(draft.Title))
            {
                return Invalid("`title` is required");
            }

            var ticket = store.Create(draft.Title, draft.Assignee);
            return Results.Created($"/tickets/{ticket.Id}", ticket);
        });
        app.MapPatch("/tickets/{id}", (string id, TicketPatch patch, TicketStore store) =>
        {
            if (patch.Status is not (null or "open" or "closed"))
            {
                return Invalid("`status` must be `open` or `closed`");
            }

            return store.Update(id, patch) is { } ticket ? Results.Ok(ticket) : NotFound("ticket", id);
        });
    }

    private static void MapDocuments(WebApplication app)
    {
        app.MapGet("/documents/{id}", (string id) =>
            DocumentCatalog.Find(id) is { } document ? Results.Ok(document) : NotFound("document", id));
    }

    private static void MapPayments(WebApplication app)
    {
        app.MapPost("/payments", (PaymentDraft draft, PaymentLedger ledger) =>
        {
            if (draft.Amount is not > 0)
            {
                return Invalid("`amount` must be a positive number of cents");
            }

            if (string.IsNullOrWhiteSpace(draft.Payee))
            {
                return Invalid("`payee` is required");
            }

            var payment = ledger.Create(draft.Amount.Value, draft.Currency ?? "EUR", draft.Payee);
            return Results.Created($"/payments/{payment.Id}", payment);
        });
        app.MapGet("/payments/{id}", (string id, PaymentLedger ledger) =>
            ledger.Find(id) is { } payment ? Results.Ok(payment) : NotFound("payment", id));
    }

    private static void MapLegacy(WebApplication app, string apiKey)
    {
        // A legacy reporting endpoint that predates tokens: one static key for every caller.
        app.MapGet("/legacy/reports", (HttpRequest request) =>
        {
            var presented = request.Headers[ApiKeyHeader].ToString();
            if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(presented), System.Text.Encoding.UTF8.GetBytes(apiKey)))
            {
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "missing or wrong API key");
            }

            return Results.Ok(new
            {
                reports = new[] { new { id = "r-2026-10", title = "October ticket volume", tickets = 412 } },
                authenticatedWith = "static api key (attached by the gateway from its vault)",
            });
        });
    }

    private static IResult NotFound(string kind, string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"no {kind} `{id}`");

    private static IResult Invalid(string message) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: message);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
