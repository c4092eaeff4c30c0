using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mandate.Demo;

/// <summary>
/// Builds the small Kestrel apps of the demo (sample API, token issuer): bound to 127.0.0.1 only,
/// quiet logging, strict JSON (duplicate properties refused), and the bound address read back
/// from the server so that port 0 works.
/// </summary>
internal static class LoopbackApp
{
    /// <summary>A builder listening on 127.0.0.1:<paramref name="port"/> (0 = any free port).</summary>
    public static WebApplicationBuilder CreateBuilder(string name, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        // The demo's helpers never listen beyond loopback, whatever ASPNETCORE_URLS says.
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.AllowDuplicateProperties = false;
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        });
        return builder;
    }

    /// <summary>Starts the app and returns the address it actually bound (e.g. <c>http://127.0.0.1:40123</c>).</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("the server reports no addresses");
        var address = addresses.Addresses.First();
        // Kestrel reports the loopback listener as http://127.0.0.1:PORT; normalise to a URI without a trailing slash.
        return new Uri(address.TrimEnd('/'));
    }
}
