/* Sinergi: filter a long grouped list of checkboxes as the user types (progressive enhancement).
 *
 * Markup (trainings/batches/_macros.html, grouped_checkboxes): a fieldset[data-choice-filter]
 * holding a hidden .choice-filter-search block (a labelled search input and a live status line)
 * and groups (fieldset.choice-group) of .form-check items. Without this script the list works as
 * plain checkboxes; with it the search box shows and hides the items that do not match every
 * word typed (in the option or its group's name, accents and case ignored). Ticked items stay
 * ticked (and are sent) when hidden. Enter in the box does not submit the form; Down arrow moves
 * to the first item shown. No dependencies, no network: the portal runs on a closed network.
 */
(function () {
  "use strict";

  function fold(text) {
    return (text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }

  function enhance(root) {
    var search = root.querySelector(".choice-filter-search");
    var input = search && search.querySelector("input[type=search]");
    if (!input) {
      return;
    }
    var status = search.querySelector("[aria-live]");
    var groups = Array.prototype.slice.call(root.querySelectorAll(".choice-group"));
    var items = [];
    groups.forEach(function (group) {
      var legend = group.querySelector("legend");
      var groupText = legend ? legend.textContent : "";
      Array.prototype.forEach.call(group.querySelectorAll(".form-check"), function (item) {
        items.push({
          el: item,
          box: item.querySelector("input[type=checkbox]"),
          text: fold(item.textContent + " " + groupText),
        });
      });
    });

    function report() {
      if (!status) {
        return;
      }
      var shown = items.filter(function (i) { return !i.el.hidden; }).length;
      var chosen = items.filter(function (i) { return i.box && i.box.checked; }).length;
      status.textContent = (status.getAttribute("data-shown-template") || "")
        .replace("{shown}", shown)
        .replace("{total}", items.length)
        .replace("{chosen}", chosen);
    }

    function filter() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      items.forEach(function (item) {
        item.el.hidden = !words.every(function (w) { return item.text.indexOf(w) !== -1; });
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector(".form-check:not([hidden])");
      });
      report();
    }

    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      } else if (event.key === "ArrowDown") {
        var first = items.filter(function (i) { return !i.el.hidden; })[0];
        if (first && first.box) {
          event.preventDefault();
          first.box.focus();
        }
      }
    });
    root.addEventListener("change", report);
    search.hidden = false;
    filter();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-choice-filter]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
