// A person picker: the WAI-ARIA combobox pattern (list autocomplete) over
// GET /api/v1/people/search. The server renders a plain text input and a hidden input
// with the chosen person's id (organisation/person_picker.py); this file turns the text
// input into a combobox. Without it, the text is resolved exactly by the server.
(function () {
  "use strict";
  var DELAY = 200;
  var counter = 0;

  function parts(root) {
    return {
      text: root.querySelector("[data-person-text]"),
      id: root.querySelector("[data-person-id]"),
      list: root.querySelector("[role=listbox]"),
      status: root.querySelector("[data-person-status]"),
    };
  }

  function options(p) {
    return Array.prototype.slice.call(p.list.querySelectorAll("[role=option]"));
  }

  function close(p) {
    p.list.hidden = true;
    p.text.setAttribute("aria-expanded", "false");
    p.text.removeAttribute("aria-activedescendant");
  }

  function activate(p, index) {
    var all = options(p);
    if (!all.length) return;
    index = (index + all.length) % all.length;
    all.forEach(function (o, i) {
      o.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    p.text.setAttribute("aria-activedescendant", all[index].id);
    all[index].scrollIntoView({ block: "nearest" });
  }

  function activeIndex(p) {
    var current = p.text.getAttribute("aria-activedescendant");
    return options(p).findIndex(function (o) {
      return o.id === current;
    });
  }

  function choose(p, option) {
    p.id.value = option.getAttribute("data-id");
    p.text.value = option.getAttribute("data-label");
    p.status.textContent = option.getAttribute("data-label") + " chosen.";
    close(p);
  }

  function show(p, people) {
    p.list.textContent = "";
    people.forEach(function (person) {
      var o = document.createElement("span");
      o.setAttribute("role", "option");
      o.id = p.list.id + "-" + person.id;
      o.setAttribute("aria-selected", "false");
      o.setAttribute("data-id", String(person.id));
      o.setAttribute("data-label", person.label);
      o.className = "person-picker-option";
      o.textContent = person.label;
      var more = [person.job_title, person.org_unit].filter(Boolean).join(" · ");
      if (more) {
        var small = document.createElement("small");
        small.textContent = " " + more;
        o.appendChild(small);
      }
      p.list.appendChild(o);
    });
    var open = people.length > 0;
    p.list.hidden = !open;
    p.text.setAttribute("aria-expanded", open ? "true" : "false");
    p.text.removeAttribute("aria-activedescendant");
    p.status.textContent = open
      ? people.length + " suggestion" + (people.length === 1 ? "" : "s") + ": arrow keys to choose, Enter to pick."
      : "No one found.";
  }

  function lookup(root, p) {
    var q = p.text.value.trim();
    if (q.length < 2) {
      close(p);
      return;
    }
    var url = root.getAttribute("data-url") + "&limit=10&q=" + encodeURIComponent(q);
    var asked = (root._asked = (root._asked || 0) + 1);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.ok ? r.json() : [];
      })
      .then(function (people) {
        if (asked === root._asked && document.activeElement === p.text) show(p, people);
      })
      .catch(function () {
        close(p);
      });
  }

  function init(root) {
    if (root._picker) return;
    root._picker = true;
    var p = parts(root);
    if (!p.text || !p.id || !p.list) return;
    if (!p.list.id) p.list.id = "person-picker-list-" + ++counter;
    p.text.setAttribute("role", "combobox");
    p.text.setAttribute("aria-autocomplete", "list");
    p.text.setAttribute("aria-expanded", "false");
    p.text.setAttribute("aria-controls", p.list.id);
    var timer = null;
    p.text.addEventListener("input", function () {
      p.id.value = ""; // typed text is not a choice until picked (or resolved by the server)
      clearTimeout(timer);
      timer = setTimeout(function () {
        lookup(root, p);
      }, DELAY);
    });
    p.text.addEventListener("keydown", function (e) {
      var open = !p.list.hidden;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (!open) lookup(root, p);
        else activate(p, activeIndex(p) + 1);
      } else if (e.key === "ArrowUp") {
        if (!open) return;
        e.preventDefault();
        activate(p, activeIndex(p) < 0 ? -1 : activeIndex(p) - 1);
      } else if (e.key === "Enter") {
        var i = activeIndex(p);
        if (open && i >= 0) {
          e.preventDefault(); // Enter picks; it does not submit the form
          choose(p, options(p)[i]);
        }
      } else if (e.key === "Escape") {
        if (open) {
          e.preventDefault();
          close(p);
        }
      }
    });
    p.text.addEventListener("blur", function () {
      setTimeout(function () {
        close(p);
      }, 150);
    });
    p.list.addEventListener("mousedown", function (e) {
      e.preventDefault(); // keep focus in the input
    });
    p.list.addEventListener("click", function (e) {
      var option = e.target.closest("[role=option]");
      if (option) choose(p, option);
    });
  }

  function scan(node) {
    if (!node.querySelectorAll) return;
    if (node.matches && node.matches("[data-person-picker]")) init(node);
    node.querySelectorAll("[data-person-picker]").forEach(init);
  }

  function start() {
    scan(document.body);
    new MutationObserver(function (changes) {
      changes.forEach(function (c) {
        c.addedNodes.forEach(scan);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
