using System.Text;
using System.Text.Json;

namespace Mandate.Core.Audit.Segments;

/// <summary>
/// The log's signed checkpoints: one JSON object per line in <c>audit/checkpoints.jsonl</c>
/// (<c>{"seq":…,"hash":…,"time":…,"key_id":…,"signature":…}</c>), appended and fsync'd by the writer.
/// </summary>
public static class SegmentCheckpoints
{
    /// <summary>Appends <paramref name="checkpoint"/> to the checkpoints file in <paramref name="folder"/> and syncs it.</summary>
    public static void Append(string folder, AuditCheckpoint checkpoint)
    {
        var path = Path.Combine(folder, SegmentFiles.CheckpointsFile);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", checkpoint.Seq);
            json.WriteString("hash", checkpoint.Hash);
            json.WriteString("time", checkpoint.Time);
            json.WriteString("key_id", checkpoint.KeyId);
            json.WriteString("signature", checkpoint.Signature);
            json.WriteEndObject();
        }
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        stream.Write(buffer.WrittenSpan);
        stream.WriteByte((byte)'\n');
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The checkpoints in <paramref name="folder"/>; a line that does not parse is returned as null (the
    /// verifier reports it), and a last line without its newline (cut by a crash) is left out.</summary>
    public static IReadOnlyList<AuditCheckpoint?> Read(string folder)
    {
        var path = Path.Combine(folder, SegmentFiles.CheckpointsFile);
        if (!File.Exists(path))
        {
            return [];
        }
        var text = File.ReadAllText(path, Encoding.UTF8);
        var lines = text.Split('\n');
        var result = new List<AuditCheckpoint?>(lines.Length);
        // The last element is what follows the last newline: empty, or a torn line never acknowledged.
        for (var i = 0; i < lines.Length - 1; i++)
        {
            result.Add(Parse(lines[i]));
        }
        return result;
    }

    private static AuditCheckpoint? Parse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 2 });
            var r = doc.RootElement;
            return new AuditCheckpoint(r.GetProperty("seq").GetInt64(), r.GetProperty("hash").GetString()!,
                r.GetProperty("time").GetString()!, r.GetProperty("key_id").GetString()!, r.GetProperty("signature").GetString()!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
