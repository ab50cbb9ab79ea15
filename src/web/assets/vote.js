/*
 * vote.js - the page's only script, and an optional one: without it the
 * vote is a plain form POST answered by a redirect, and the commands are
 * selectable text.  With it, a vote is posted in place (the server
 * answers 2xx only once the vote is in its database), each command
 * gets a working copy button, and a static export's "go to a port" form
 * appears.  Texts come from the page's data- attributes, already in the
 * page's language.
 */
"use strict";

document.addEventListener("DOMContentLoaded", function () {
	/* A static export's "go to a port": the number names the page's file. */
	document.querySelectorAll("form.port-jump[data-base]").forEach(function (form) {
		form.hidden = false;
		form.addEventListener("submit", function (ev) {
			var n = Number(form.elements.port.value);
			ev.preventDefault();
			if (Number.isInteger(n) && n >= 0 && n <= 65535)
				window.location.href = form.getAttribute("data-base") + n + ".html";
		});
	});

	document.querySelectorAll("button.copy[data-copy]").forEach(function (btn) {
		var code = document.getElementById(btn.getAttribute("data-copy"));
		if (!code || !navigator.clipboard)
			return;
		var label = btn.textContent;
		btn.hidden = false;
		btn.addEventListener("click", function () {
			navigator.clipboard.writeText(code.textContent).then(function () {
				btn.textContent = btn.getAttribute("data-done") || label;
				setTimeout(function () { btn.textContent = label; }, 1500);
			});
		});
	});

	document.querySelectorAll("form.vote-form").forEach(function (form) {
		var status = form.querySelector(".vote-status");
		form.addEventListener("submit", function (ev) {
			var btn = ev.submitter;
			if (!btn || !window.fetch || !window.URLSearchParams)
				return; /* let the browser post the form */
			ev.preventDefault();
			var body = new URLSearchParams(new FormData(form));
			body.set(btn.name, btn.value);
			form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
			fetch(form.action, {
				method: "POST",
				body: body,
				headers: { "Accept": "application/json" },
				credentials: "same-origin",
				redirect: "manual"
			}).then(function (res) {
				/* 2xx, or the 303 a no-JS client would follow: the vote is stored. */
				if (!(res.ok || res.type === "opaqueredirect"))
					throw new Error(String(res.status));
				var p = document.createElement("p");
				p.className = "thanks";
				p.setAttribute("role", "status");
				p.textContent = form.getAttribute("data-thanks");
				form.replaceWith(p);
			}).catch(function () {
				form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
				if (status)
					status.textContent = form.getAttribute("data-error");
			});
		});
	});
});
