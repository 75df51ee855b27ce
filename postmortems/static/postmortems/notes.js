/* Writing warnings beside their sentences in the postmortem preview.
 *
 * The server renders each section's warnings (".pm-note", with the sentence in data-excerpt)
 * under the section. This script finds the paragraph, list item or cell that holds the sentence,
 * marks the sentence and moves the note right after it. A note whose sentence is not found
 * stays under its section. Runs on load and after every HTMX swap of the preview. Loaded as a
 * file (CSP: no inline JS).
 */
(function () {
  "use strict";

  var BLOCKS = "p, li, td, th, h1, h2, h3, h4, h5, h6, blockquote";

  // What the reader sees of a sentence: Markdown marks dropped, whitespace collapsed.
  function plain(text) {
    return text.replace(/[`*_]/g, "").replace(/\s+/g, " ").trim();
  }

  function sentencePattern(excerpt) {
    var words = excerpt.replace(/…$/, "").split(" ").map(function (word) {
      return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    });
    return new RegExp(words.join("\\s+"));
  }

  // Wrap the sentence in <mark> when it lies in one text node; otherwise flag the whole block.
  function markSentence(block, pattern, rule) {
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      if (node.parentNode.closest(".pm-note")) { continue; }
      var match = pattern.exec(node.nodeValue);
      if (!match) { continue; }
      if (node.parentNode.classList && node.parentNode.classList.contains("pm-flag")) { return; }
      var range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      var mark = document.createElement("mark");
      mark.className = "pm-flag";
      mark.setAttribute("data-flag", rule);
      range.surroundContents(mark);
      return;
    }
    block.classList.add("pm-flagged");
  }

  function placeNotes(root) {
    root.querySelectorAll(".pm-section").forEach(function (section) {
      var body = section.querySelector(".pm-body");
      if (!body) { return; }
      section.querySelectorAll(".pm-note[data-excerpt]").forEach(function (note) {
        var excerpt = plain(note.getAttribute("data-excerpt"));
        if (!excerpt) { return; }
        var pattern = sentencePattern(excerpt);
        var blocks = body.querySelectorAll(BLOCKS);
        for (var i = 0; i < blocks.length; i += 1) {
          var block = blocks[i];
          if (block.querySelector("p, li") || block.closest(".pm-note")) { continue; }
          if (!pattern.test(plain(block.textContent))) { continue; }
          markSentence(block, sentencePattern(excerpt.replace(/[`*_]/g, "")), note.getAttribute("data-rule"));
          if (/^(LI|TD|TH)$/.test(block.tagName)) {
            block.appendChild(note);
          } else {
            // After the block and after any note already placed there, in sentence order.
            var after = block;
            while (after.nextElementSibling && after.nextElementSibling.classList.contains("pm-note-placed")) {
              after = after.nextElementSibling;
            }
            after.insertAdjacentElement("afterend", note);
          }
          note.classList.add("pm-note-placed");
          return;
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var preview = document.getElementById("pm-preview");
    if (!preview) { return; }
    placeNotes(preview);
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail && event.detail.target === preview) { placeNotes(preview); }
    });
  });
})();
