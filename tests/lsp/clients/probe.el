;;; probe.el --- drives Emacs's eglot against `nurture lsp --stdio', in batch  -*- lexical-binding: t -*-
;; emacs -q --batch -l init.el -l probe.el
;; init.el is the configuration of docs/editors.md, as written (the test extracts it).
;; Environment: NURTURE_ROOT (workspace folder), NURTURE_FILE (the file to open), NURTURE_LINE /
;; NURTURE_COL (0-based completion position).
;; Prints `diagnostic LINE:COL MESSAGE' and `completion LABEL' lines; exits 0, or 1 on failure.
(require 'flymake)
(require 'project)

(defun probe-out (fmt &rest args) (princ (concat (apply #'format fmt args) "\n")))
(defun probe-fail (why) (probe-out "FAIL %s" why) (kill-emacs 1))

(let ((root (file-name-as-directory (getenv "NURTURE_ROOT"))))
  ;; the fixture folder is the project (no version control needed)
  (add-hook 'project-find-functions (lambda (_dir) (cons 'transient root)))
  (find-file (getenv "NURTURE_FILE"))
  (unless (eq major-mode 'nurture-mode) (probe-fail "the configuration did not set the mode"))
  ;; `eglot-ensure' waits for the command loop, which batch mode lacks: connect as it would, with the
  ;; contact the configuration gives
  (apply #'eglot (eglot--guess-contact))
  (let ((deadline (+ (float-time) 15)))
    (while (and (null (flymake-diagnostics)) (< (float-time) deadline))
      (accept-process-output nil 0.05)))
  (let ((diags (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))))
    (unless diags (probe-fail "no diagnostics"))
    (dolist (d diags)
      (let ((beg (flymake-diagnostic-beg d)))
        (probe-out "diagnostic %d:%d %s" (line-number-at-pos beg)
                   (save-excursion (goto-char beg) (1+ (current-column)))
                   (car (split-string (flymake-diagnostic-text d) "\n"))))))
  (goto-char (point-min))
  (forward-line (string-to-number (getenv "NURTURE_LINE")))
  (move-to-column (string-to-number (getenv "NURTURE_COL")))
  (let* ((capf (eglot-completion-at-point))
         (labels (and capf (sort (all-completions "" (nth 2 capf)) #'string<))))
    (unless labels (probe-fail "no completion"))
    (dolist (l labels) (probe-out "completion %s" (substring-no-properties l))))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (kill-emacs 0))
