using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace VagaVaraDigital.Api.Features.PublicPages;

/// <summary>
/// The layout of the platform's public pages (RSVP, join, and — for the other features — unsubscribe):
/// server-rendered HTML that works without JavaScript, Swedish first with English, one shared stylesheet
/// at <see cref="StylesheetPath"/> (CSP: no inline styles or scripts). Built for WCAG 2.1 AA: language
/// attributes, a skip link, landmarks, one h1, visible focus, 4.5:1 contrast, 200 % zoom/reflow, status
/// messages in a live region. ADR 0044.
/// </summary>
public static class PublicHtml
{
    public const string StylesheetPath = "/public/vvd.css";

    static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string E(string? text) => Html.Encode(text ?? "");

    /// <summary>Text with line breaks as paragraphs.</summary>
    public static string Paragraphs(string? text) => string.Concat((text ?? "")
        .Split(["\r\n\r\n", "\n\n"], StringSplitOptions.RemoveEmptyEntries)
        .Select(p => $"<p>{E(p.Trim()).Replace("&#xA;", "<br>")}</p>"));

    /// <param name="tenantName">The county board's name in the header; null on the generic 404.</param>
    public static ContentHttpResult Page(int status, string titleSv, string? tenantName, string mainHtml, string? titleEn = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!doctype html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<meta name=\"robots\" content=\"noindex, nofollow\">\n")
          .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
          .Append("<title>").Append(E(titleSv)).Append(titleEn is null ? "" : " / " + E(titleEn))
          .Append(" – Våga vara digital</title>\n")
          .Append("<link rel=\"stylesheet\" href=\"").Append(StylesheetPath).Append("\">\n</head>\n<body>\n")
          .Append("<a class=\"skip\" href=\"#main\">Till innehållet <span lang=\"en\">(Skip to content)</span></a>\n")
          .Append("<header class=\"site\"><div class=\"wrap\"><p class=\"brand\">Våga vara digital!</p>");
        if (tenantName is not null) sb.Append("<p class=\"tenant\">").Append(E(tenantName)).Append("</p>");
        sb.Append("</div></header>\n<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n").Append(mainHtml).Append("\n</main>\n")
          .Append("<footer class=\"site\"><div class=\"wrap\"><p>Kompetenssatsningen Våga vara digital – Lantmäteriet och länsstyrelserna. ")
          .Append("<span lang=\"en\">A national competence campaign by Lantmäteriet and the county administrative boards.</span></p></div></footer>\n")
          .Append("</body>\n</html>\n");
        return TypedResults.Content(sb.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The one "not found" page for every unknown, malformed, expired or foreign token: it says nothing about why.</summary>
    public static ContentHttpResult NotFound(string? tenantName) => Page(404, "Länken fungerar inte", tenantName, """
        <h1>Länken fungerar inte <span lang="en" class="en">This link does not work</span></h1>
        <p>Vi hittar ingen inbjudan för den här länken. Kontrollera att du har kopierat hela länken från e-postmeddelandet,
        eller kontakta den som bjöd in dig.</p>
        <p lang="en">We cannot find an invitation for this link. Check that you copied the whole link from the e-mail,
        or contact whoever invited you.</p>
        """, "This link does not work");

    public const string Stylesheet = """
        /* Våga vara digital – public pages (RSVP, join, unsubscribe). WCAG 2.1 AA: contrast ≥ 4.5:1, visible focus, reflow. */
        :root { --ink: #1b1b1b; --muted: #4a4a4a; --paper: #ffffff; --band: #0b3d59; --band-ink: #ffffff; --accent: #0b5c8a;
                --accent-ink: #ffffff; --line: #c7c7c7; --ok-bg: #e6f4ea; --ok-ink: #0f5323; --warn-bg: #fff4e0; --warn-ink: #6b3d00;
                --focus: #ffbf47; }
        *, *::before, *::after { box-sizing: border-box; }
        html { font-size: 100%; -webkit-text-size-adjust: 100%; }
        body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; line-height: 1.5;
               color: var(--ink); background: var(--paper); }
        .wrap { max-width: 44rem; margin: 0 auto; padding: 0 1rem; }
        .skip { position: absolute; left: -9999px; top: 0; background: var(--focus); color: #000; padding: .5rem 1rem; z-index: 10; }
        .skip:focus { left: 1rem; }
        header.site { background: var(--band); color: var(--band-ink); padding: .75rem 0; }
        header.site p { margin: 0; }
        .brand { font-weight: 700; font-size: 1.25rem; }
        .tenant { font-size: 1rem; }
        main.wrap { padding-top: 1.5rem; padding-bottom: 3rem; }
        main:focus { outline: none; }
        h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 1rem; }
        h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
        .en { display: block; font-size: 1rem; font-weight: 400; color: var(--muted); margin-top: .25rem; }
        p[lang="en"], .muted { color: var(--muted); }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 1rem 0; }
        dl.facts dt { font-weight: 700; }
        dl.facts dd { margin: 0; }
        .notice { border-left: .375rem solid var(--ok-ink); background: var(--ok-bg); color: var(--ok-ink); padding: .75rem 1rem; margin: 1rem 0; }
        .notice.warn { border-color: var(--warn-ink); background: var(--warn-bg); color: var(--warn-ink); }
        .notice p { margin: .25rem 0; color: inherit; }
        fieldset { border: 1px solid var(--line); padding: 1rem; margin: 1.5rem 0; }
        legend { font-weight: 700; padding: 0 .25rem; }
        .actions { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: .5rem; }
        button, .button { font: inherit; font-weight: 600; min-height: 2.75rem; padding: .5rem 1.25rem; border-radius: .25rem;
                          border: 2px solid var(--accent); cursor: pointer; text-decoration: none; display: inline-block; }
        button.primary, .button.primary { background: var(--accent); color: var(--accent-ink); }
        button.secondary, .button.secondary { background: var(--paper); color: var(--accent); }
        button[aria-pressed="true"] { box-shadow: inset 0 0 0 3px var(--accent-ink); }
        a { color: var(--accent); text-underline-offset: .15em; }
        a:focus-visible, button:focus-visible, .button:focus-visible, main:focus-visible {
          outline: 3px solid var(--focus); outline-offset: 2px; box-shadow: 0 0 0 5px #000; }
        footer.site { border-top: 1px solid var(--line); padding: 1rem 0 2rem; font-size: .875rem; color: var(--muted); }
        footer.site p { margin: 0; }
        @media (prefers-reduced-motion: reduce) { * { transition: none !important; animation: none !important; } }
        @media (forced-colors: active) { button, .button { border: 2px solid ButtonText; } }
        """;
}
