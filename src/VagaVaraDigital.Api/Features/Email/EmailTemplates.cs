using System.Collections.Concurrent;
using System.Text.Json;
using Fluid;
using Fluid.Values;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>
/// Liquid templates with Fluid, sandboxed: the model is plain dictionaries (no .NET objects, so no member access
/// beyond what we put in), no file system, no includes, a step limit against endless loops, and a time limit
/// through the step limit. Parsed templates are cached by their text.
/// </summary>
public sealed partial class EmailTemplates
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\|\s*([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial System.Text.RegularExpressions.Regex FilterName();

    [System.Text.RegularExpressions.GeneratedRegex(@"\(\s*(-?\d{1,18})\s*\.\.\s*(-?\d{1,18})\s*\)")]
    private static partial System.Text.RegularExpressions.Regex RangeLiteral();

    static readonly FluidParser Parser = new(new FluidParserOptions { AllowFunctions = false, AllowParentheses = false });
    readonly ConcurrentDictionary<string, IFluidTemplate> _cache = new();

    static readonly TemplateOptions Options = CreateOptions();

    static TemplateOptions CreateOptions()
    {
        var o = new TemplateOptions
        {
            MaxSteps = 20_000,
            MaxRecursion = 10,
            FileProvider = new Microsoft.Extensions.FileProviders.NullFileProvider(),
            Greedy = false,
        };
        o.MemberAccessStrategy = new DefaultMemberAccessStrategy();   // nothing registered: dictionaries only
        return o;
    }

    public sealed record Rendered(string Subject, string Body);

    /// <summary>Parses; returns the error text when the template is not valid Liquid.</summary>
    public bool TryCompile(string source, out IFluidTemplate? template, out string? error)
    {
        if (_cache.TryGetValue(source, out template)) { error = null; return true; }
        if (!Parser.TryParse(source, out template, out error)) return false;
        if (_cache.Count > 2000) _cache.Clear();
        _cache[source] = template;
        return true;
    }

    public const int MaxOutputChars = 100_000;
    public const int MaxRangeLiteral = 1_000;

    sealed class BoundedWriter(int limit) : StringWriter
    {
        void Check(int more)
        {
            if (GetStringBuilder().Length + more > limit) throw new TemplateException($"Mallen blir för lång (över {limit} tecken).");
        }
        public override void Write(char value) { Check(1); base.Write(value); }
        public override void Write(string? value) { Check(value?.Length ?? 0); base.Write(value); }
        public override void Write(char[] buffer, int index, int count) { Check(count); base.Write(buffer, index, count); }
        public override void Write(ReadOnlySpan<char> buffer) { Check(buffer.Length); base.Write(buffer); }
        public override Task WriteAsync(char value) { Check(1); return base.WriteAsync(value); }
        public override Task WriteAsync(string? value) { Check(value?.Length ?? 0); return base.WriteAsync(value); }
        public override Task WriteAsync(char[] buffer, int index, int count) { Check(count); return base.WriteAsync(buffer, index, count); }
        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken ct = default) { Check(buffer.Length); return base.WriteAsync(buffer, ct); }
    }

    public async Task<Rendered> RenderAsync(DefaultTemplates.Template template, IDictionary<string, object?> model)
    {
        var subject = await RenderOneAsync(template.Subject, model);
        var body = await RenderOneAsync(template.Body, model);
        return new Rendered(string.Join(' ', subject.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim(), body.Trim());
    }

    async Task<string> RenderOneAsync(string source, IDictionary<string, object?> model)
    {
        if (!TryCompile(source, out var template, out var error)) throw new TemplateException(error ?? "Mallen kan inte tolkas.");
        var context = new TemplateContext(Options);
        foreach (var (key, value) in model) context.SetValue(key, ToFluid(value));
        try
        {
            // Plain text out: HTML is made (and escaped) by MessageLayout, so no encoder here. The writer caps the
            // output: a loop cannot make a message of megabytes.
            await using var writer = new BoundedWriter(MaxOutputChars);
            await template!.RenderAsync(writer, NullEncoder.Default, context);
            return writer.ToString();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new TemplateException(e.Message);
        }
    }

    /// <summary>Validation for a county's template: parses and renders against the sample; the error in Swedish, or null.</summary>
    public async Task<string?> ValidateAsync(DefaultTemplates.Template template, IDictionary<string, object?> sample)
    {
        foreach (var (part, source) in new[] { ("Ämnesraden", template.Subject), ("Texten", template.Body) })
        {
            if (!TryCompile(source, out _, out var error)) return $"{part} går inte att tolka: {error}";
            foreach (System.Text.RegularExpressions.Match m in RangeLiteral().Matches(source))
            {
                if (Math.Abs(long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)) > MaxRangeLiteral
                    || Math.Abs(long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)) > MaxRangeLiteral)
                    return $"{part} har en för stor slinga (högst {MaxRangeLiteral} varv).";
            }
            // Liquid ignores unknown filters; a county's template must not (a typo would silently drop text).
            foreach (System.Text.RegularExpressions.Match m in FilterName().Matches(source))
            {
                if (!Options.Filters.TryGetValue(m.Groups[1].Value, out _)) return $"{part} använder ett okänt filter: {m.Groups[1].Value}";
            }
        }
        try
        {
            var render = Task.Run(() => RenderAsync(template, sample));
            if (await Task.WhenAny(render, Task.Delay(TimeSpan.FromSeconds(2))) != render) return "Mallen tar för lång tid att visa.";
            var rendered = await render;
            if (rendered.Subject.Length == 0) return "Ämnesraden blir tom.";
            if (rendered.Body.Length == 0) return "Texten blir tom.";
            return null;
        }
        catch (TemplateException e)
        {
            return $"Mallen går inte att visa: {e.Message}";
        }
    }

    static FluidValue ToFluid(object? value) => value switch
    {
        null => NilValue.Instance,
        string s => StringValue.Create(s),
        bool b => BooleanValue.Create(b),
        int i => NumberValue.Create(i),
        long l => NumberValue.Create(l),
        decimal d => NumberValue.Create(d),
        double d => NumberValue.Create((decimal)d),
        JsonElement j => FromJson(j),
        IDictionary<string, object?> dict => new DictionaryValue(new FluidValueDictionaryFluidIndexable(
            dict.ToDictionary(kv => kv.Key, kv => ToFluid(kv.Value)))),
        System.Collections.IEnumerable list => new ArrayValue(list.Cast<object?>().Select(ToFluid).ToArray()),
        _ => StringValue.Create(value.ToString() ?? ""),
    };

    static FluidValue FromJson(JsonElement j) => j.ValueKind switch
    {
        JsonValueKind.String => StringValue.Create(j.GetString() ?? ""),
        JsonValueKind.Number => NumberValue.Create(j.GetDecimal()),
        JsonValueKind.True => BooleanValue.True,
        JsonValueKind.False => BooleanValue.False,
        JsonValueKind.Array => new ArrayValue(j.EnumerateArray().Select(FromJson).ToArray()),
        JsonValueKind.Object => new DictionaryValue(new FluidValueDictionaryFluidIndexable(
            j.EnumerateObject().ToDictionary(p => ToSnake(p.Name), p => FromJson(p.Value)))),
        _ => NilValue.Instance,
    };

    /// <summary>Payload fields are camelCase JSON; templates use snake_case (<c>payload.rsvp_url</c>).</summary>
    public static string ToSnake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}

public sealed class TemplateException(string message) : Exception(message);
