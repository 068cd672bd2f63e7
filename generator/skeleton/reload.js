// gongshi serve: reloads the page when the preview is rebuilt.  Served to
// previews only; a published site carries no script.
(function () {
	var seen = new URL(document.currentScript.src).searchParams.get("v");
	function poll() {
		fetch("/__gongshi/version", { cache: "no-store" })
			.then(function (r) { return r.text(); })
			.then(function (v) {
				if (v !== seen) { location.reload(); return; }
				setTimeout(poll, 100);
			})
			.catch(function () { setTimeout(poll, 1000); });
	}
	poll();
})();
