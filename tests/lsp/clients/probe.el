;;; probe.el --- drives Emacs's eglot against `nurture lsp --stdio`, in batch  -*- lexical-binding: t -*-
;; emacs -q --batch -l probe.el
;; Environment: NURTURE_NODE, NURTURE_BIN (the server command), NURTURE_ROOT (workspace folder),
;; NURTURE_FILE (the file to open), NURTURE_LINE / NURTURE_COL (0-based completion position).
;; Prints `diagnostic LINE:COL MESSAGE` and `completion LABEL` lines; exits 0, or 1 on failure.
(require 'eglot)
(require 'flymake)
(require 'project)

(define-derived-mode nurture-mode prog-mode "Nurture"
  "Major mode for nurture files (just enough for eglot)."
  (setq-local comment-start "# "))
(add-to-list 'auto-mode-alist '("\\.nurture\\'" . nurture-mode))

(defun probe-out (fmt &rest args) (princ (concat (apply #'format fmt args) "\n")))
(defun probe-fail (why) (probe-out "FAIL %s" why) (kill-emacs 1))

(let* ((root (file-name-as-directory (getenv "NURTURE_ROOT")))
       (contact (list (getenv "NURTURE_NODE") (getenv "NURTURE_BIN") "lsp" "--stdio")))
  (add-to-list 'eglot-server-programs (cons 'nurture-mode contact))
  ;; the fixture folder is the project (no version control needed)
  (add-hook 'project-find-functions (lambda (_dir) (cons 'transient root)))
  (find-file (getenv "NURTURE_FILE"))
  (eglot (list 'nurture-mode) (project-current) 'eglot-lsp-server contact "nurture")
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
