#!/usr/bin/env bash
# The gimp-smp plug-in in the real GIMP, headless: GIMP 3 (named
# arguments) or GIMP 2.10 (positional), whichever gimp-console is given.
#
#   plugin.sh MAJOR CHECKER MODULE PLUGIN META-READER
#
# The batch itself asserts what Script-Fu can see (exactly one new layer,
# its name, size and offsets; errors leave the image unchanged; Set Scale's
# resolution) and writes the layers as PNGs, which CHECKER then measures:
# the source layer bit-identical, dots only inside the selection, the
# density per cm² at two resolutions, the feather as a density falloff.
# META-READER (smp-meta-read) reads the exported layouts' comment and XMP
# without GIMP.
set -euo pipefail

major=$1
checker=$(realpath "$2")
module=$(realpath "$3")
plugin=$(realpath "$4")
meta_read=$(realpath "$5")
. "$(dirname "${BASH_SOURCE[0]}")/gimp-home.sh" smp-plugin

"$checker" make "$work/in.png" 1280 960 '#c68642'
"$checker" make-scar "$(dirname "$module")" "$work/scar.png"
"$checker" make-stubble "$(dirname "$module")" "$work/stubble.png" "$work/stubble-bare.png"

# What differs between the two Script-Fus, as small functions.
if [ "$major" = 3 ]; then
  helpers='
(define (load p) (car (gimp-file-load RUN-NONINTERACTIVE p)))
(define (layers img) (car (gimp-image-get-layers img)))
(define (nlayers img) (vector-length (layers img)))
(define (top img) (vector-ref (layers img) 0))
(define (offsets d) (gimp-drawable-get-offsets d))
(define (width d) (car (gimp-drawable-get-width d)))
(define (height d) (car (gimp-drawable-get-height d)))
(define (save-layer d p)
  (let* ((n (car (gimp-image-new (width d) (height d) RGB)))
         (l (car (gimp-layer-new-from-drawable d n))))
    (gimp-image-insert-layer n l 0 0)
    (gimp-layer-set-offsets l 0 0)
    (file-png-export #:run-mode RUN-NONINTERACTIVE #:image n #:file p #:compression 0)
    (gimp-image-delete n)))
(define (save-xcf img p) (gimp-file-save RUN-NONINTERACTIVE img p #f))
(define (make-path img x0 y0 x1 y1 x2 y2)
  (let* ((p (car (gimp-path-new img "smp")))
         (s (car (gimp-path-bezier-stroke-new-moveto p x0 y0))))
    (gimp-path-bezier-stroke-lineto p s x1 y1)
    (gimp-path-bezier-stroke-lineto p s x2 y2)
    (gimp-image-insert-path img p 0 0)
    p))
(define (new-channel img) (car (gimp-channel-new img "c" 64 64 50 "black")))
(define (density img d) (plug-in-smp-density #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:clustering 0.0 #:seed 3 #:look "custom" #:shade 0.0 #:photo-blur 0.0))
(define (hairline img d p) (plug-in-smp-hairline #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:path p #:clustering 0.0 #:seed 3 #:look "custom" #:shade 0.0 #:photo-blur 0.0))
(define (hairline-nopath img d) (plug-in-smp-hairline #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:seed 3 #:look "custom" #:shade 0.0 #:photo-blur 0.0))
(define (set-scale img d p mm) (plug-in-smp-set-scale #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:path p #:length-mm mm))
(define (conceal img d) (plug-in-smp-conceal-scar #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:clustering 0.0 #:seed 3 #:look "custom" #:shade 0.0 #:photo-blur 0.0))
(define (thicken img d) (plug-in-smp-thicken #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:seed 3 #:look "custom" #:shade 0.0 #:photo-blur 0.0))
(define (density-matched img d c) (plug-in-smp-density #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:seed 3 #:stubble c))
(define (sessions img d n) (plug-in-smp-sessions #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:seed 3 #:sessions n))
(define (before-after img d) (car (plug-in-smp-before-after #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:size "1080x1080")))
(define (before-after-unmarked img d) (car (plug-in-smp-before-after #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:disclosure 0)))
(define (before-after-labels img d) (car (plug-in-smp-before-after #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:before-label "Vorher (unbearbeitet)" #:after-label "Nachher: digitale Simulation" #:label-color (list 192 16 16))))
(define (before-after-font img d) (car (plug-in-smp-before-after #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:font (car (gimp-font-get-by-name "Monospace")))))
(define (before-after-long img d) (car (plug-in-smp-before-after #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:before-label (make-string 300 #\x))))
(define (before-after-each img d) (car (plug-in-smp-before-after #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:size "1920x1080" #:afters "each-result")))
(define (nimages) (vector-length (car (gimp-get-images))))
(define (parasite-names img) (car (gimp-image-get-parasite-list img)))
(define (image-size img) (list (car (gimp-image-get-width img)) (car (gimp-image-get-height img))))
; the export dialogs tick "Save XMP" and "Save comment" by default (the
; preferences); called from a script, these are the arguments that do it
(define (export-png img p) (file-png-export #:run-mode RUN-NONINTERACTIVE #:image img #:file p #:include-xmp 1 #:include-comment 1))
(define (export-jpeg img p) (file-jpeg-export #:run-mode RUN-NONINTERACTIVE #:image img #:file p #:include-xmp 1 #:include-comment 1))
(define (density-at img d v) (plug-in-smp-density #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:look "custom" #:density v))
(define (seed-at img d v) (plug-in-smp-density #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d) #:seed v))
(define (empty-path img) (let ((p (car (gimp-path-new img "empty")))) (gimp-image-insert-path img p 0 0) p))
(define (point-path img x y)
  (let ((p (car (gimp-path-new img "point"))))
    (gimp-path-bezier-stroke-new-moveto p x y)
    (gimp-image-insert-path img p 0 0)
    p))
'
else
  helpers='
(define (load p) (car (gimp-file-load RUN-NONINTERACTIVE p p)))
(define (layers img) (cadr (gimp-image-get-layers img)))
(define (nlayers img) (car (gimp-image-get-layers img)))
(define (top img) (vector-ref (layers img) 0))
(define (offsets d) (gimp-drawable-offsets d))
(define (width d) (car (gimp-drawable-width d)))
(define (height d) (car (gimp-drawable-height d)))
(define (save-layer d p) (file-png-save2 RUN-NONINTERACTIVE (car (gimp-item-get-image d)) d p p 0 0 0 0 0 0 0 0 0))
(define (save-xcf img p) (gimp-file-save RUN-NONINTERACTIVE img (top img) p p))
(define (make-path img x0 y0 x1 y1 x2 y2)
  (let* ((p (car (gimp-vectors-new img "smp")))
         (s (car (gimp-vectors-bezier-stroke-new-moveto p x0 y0))))
    (gimp-vectors-bezier-stroke-lineto p s x1 y1)
    (gimp-vectors-bezier-stroke-lineto p s x2 y2)
    (gimp-image-insert-vectors img p 0 0)
    p))
(define (new-channel img) (car (gimp-channel-new img 64 64 "c" 50 (quote (0 0 0)))))
(define look (list 0 0.0 90.0 0.15 0.25 0.7 0.15 (quote (61 62 66)) 0.25 0.03 0.20 0.0 0.0 0.5 3))
(define (density img d) (apply plug-in-smp-density (append (list RUN-NONINTERACTIVE img d) look (list -1))))
(define (density-matched img d c) (apply plug-in-smp-density (append (list RUN-NONINTERACTIVE img d) (list 1 0.12 90.0 0.15 0.25 0.7 0.15 (quote (61 62 66)) 0.25 0.03 0.20 0.6 0.3 0.5 3 c))))
(define (sessions img d n) (apply plug-in-smp-sessions (append (list RUN-NONINTERACTIVE img d) (list 1 0.12 90.0 0.15 0.25 0.7 0.15 (quote (61 62 66)) 0.25 0.03 0.20 0.6 0.3 0.5 3 -1 n 0))))
(define (layout-with img d before after font color disclosure) (car (plug-in-smp-before-after RUN-NONINTERACTIVE img d 0 0 before after font 36.0 color 0 16 24 disclosure 0)))
(define (before-after-each img d) (car (plug-in-smp-before-after RUN-NONINTERACTIVE img d 0 2 "Before" "After: digital simulation" "Sans-serif" 36.0 (list 26 26 26) 0 16 24 1 1)))
(define (before-after img d) (layout-with img d "Before" "After: digital simulation" "Sans-serif" (list 26 26 26) 1))
(define (before-after-unmarked img d) (layout-with img d "Before" "After: digital simulation" "Sans-serif" (list 26 26 26) 0))
(define (before-after-labels img d) (layout-with img d "Vorher (unbearbeitet)" "Nachher: digitale Simulation" "Sans-serif" (list 192 16 16) 1))
(define (before-after-font img d) (layout-with img d "Before" "After: digital simulation" "Monospace" (list 26 26 26) 1))
(define (before-after-long img d) (layout-with img d (make-string 300 #\x) "After: digital simulation" "Sans-serif" (list 26 26 26) 1))
(define (before-after-no-font img d) (layout-with img d "Before" "After: digital simulation" "No Such Font" (list 26 26 26) 1))
(define (nimages) (car (gimp-image-list)))
(define (parasite-names img) (cadr (gimp-image-get-parasite-list img)))
(define (image-size img) (list (car (gimp-image-width img)) (car (gimp-image-height img))))
; PNG with the defaults of its dialog (XMP and the comment among them);
; JPEG with the usual values of its dialog, whose comment box holds the
; comment of the image as the dialog fills it in
(define (export-png img p) (file-png-save-defaults RUN-NONINTERACTIVE img (top img) p p))
(define (image-comment img) (caddr (car (gimp-image-get-parasite img "gimp-comment"))))
(define (export-jpeg img p) (file-jpeg-save RUN-NONINTERACTIVE img (top img) p p 0.9 0.0 1 1 (image-comment img) 0 1 0 0))
(define (hairline img d p) (apply plug-in-smp-hairline (append (list RUN-NONINTERACTIVE img d) look (list 0 8.0 0.35 3.0 12.0 0.03 -1 p 0))))
(define (hairline-nopath img d) (apply plug-in-smp-hairline (append (list RUN-NONINTERACTIVE img d) look (list 0 8.0 0.35 3.0 12.0 0.03 -1 -1 0))))
(define (set-scale img d p mm) (plug-in-smp-set-scale RUN-NONINTERACTIVE img d p mm))
(define (conceal img d) (apply plug-in-smp-conceal-scar (append (list RUN-NONINTERACTIVE img d) look (list 1 4.0 0.85 0.0 2.0))))
(define (thicken img d) (apply plug-in-smp-thicken (append (list RUN-NONINTERACTIVE img d) look (list 0.3 0.65 0.03))))
(define (drop l n) (if (= n 0) l (drop (cdr l) (- n 1))))
(define (density-at img d v) (apply plug-in-smp-density (append (list RUN-NONINTERACTIVE img d 0 0.0 v) (drop look 3) (list -1))))
(define (seed-at img d v) (apply plug-in-smp-density (append (list RUN-NONINTERACTIVE img d) (reverse (cdr (reverse look))) (list v -1))))
(define (look-at img d v) (apply plug-in-smp-density (append (list RUN-NONINTERACTIVE img d v) (drop look 1) (list -1))))
(define (hairline-style img d p v) (apply plug-in-smp-hairline (append (list RUN-NONINTERACTIVE img d) look (list v 8.0 0.35 3.0 12.0 0.03 -1 p 0))))
(define (empty-path img) (let ((p (car (gimp-vectors-new img "empty")))) (gimp-image-insert-vectors img p 0 0) p))
(define (point-path img x y)
  (let ((p (car (gimp-vectors-new img "point"))))
    (gimp-vectors-bezier-stroke-new-moveto p x y)
    (gimp-image-insert-vectors img p 0 0)
    p))
'
fi

if [ "$major" = 3 ]; then
  precision16=PRECISION-U16-NON-LINEAR
  precision32=PRECISION-FLOAT-LINEAR
  multi="(let* ((img (load \"$work/in.xcf\")) (a (top img))
               (b (car (gimp-layer-new-from-drawable a img))))
  (gimp-image-set-resolution img 254.0 254.0)
  (gimp-image-insert-layer img b 0 0)
  (plug-in-smp-density #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector a b) #:seed 3)
  (check \"two selected layers give two new layers\" (= (nlayers img) 4))
  (check \"each new layer sits above its source\"
         (and (= (car (gimp-image-get-item-position img a)) 3) (= (car (gimp-image-get-item-position img b)) 1))))"
else
  precision16=PRECISION-U16-GAMMA
  precision32=PRECISION-FLOAT-LINEAR
  multi=""
fi
# GIMP 3 takes a font as one of its fonts; GIMP 2.10 takes a name, which
# must be one GIMP knows
if [ "$major" = 3 ]; then
  no_font=""
else
  no_font="(check \"an unknown font refused\" (fails? (lambda () (before-after-no-font img d))))"
fi
# choices out of range (GIMP 3 takes a choice by name, GIMP 2.10 by number)
# and NaN (GIMP 3's Script-Fu cannot pass one: it falls back to the
# argument's default with a GLib critical, before the plug-in runs)
if [ "$major" = 3 ]; then
  choices=""
else
  choices="(let* ((img (load \"$work/in.xcf\")) (d (top img)) (p (make-path img 10 500 640 460 1270 500)))
  (gimp-image-set-resolution img 254.0 254.0)
  (check \"style 9 refused\" (fails? (lambda () (hairline-style img d p 9))))
  (check \"style -1 refused\" (fails? (lambda () (hairline-style img d p -1))))
  (check \"look 7 refused\" (fails? (lambda () (look-at img d 7))))
  (check \"density NaN refused\" (fails? (lambda () (density-at img d (- (exp 1000) (exp 1000))))))
  (check \"Set Scale with length NaN refused\" (fails? (lambda () (set-scale img d p (- (exp 1000) (exp 1000))))))
  (check \"no layer added for a choice out of range or a NaN\" (= (nlayers img) 1))
  (check \"a refused Set Scale keeps the resolution\" (= (car (gimp-image-get-resolution img)) 254.0)))"
fi

batch="(begin
$helpers
(define (check what ok) (if (not ok) (error (string-append \"CHECK FAILED: \" what))))
(define (fails? thunk) (catch #t (begin (thunk) #f)))
; a PDB boolean, 0/1 or #f/#t as the Script-Fu gives it
(define (true? v) (if (number? v) (not (= v 0)) v))
; what an image shows of itself: its size, resolution, selection, parasites
; and each layer's name, visibility and offsets
(define (image-state img)
  (list (image-size img) (gimp-image-get-resolution img) (gimp-selection-bounds img) (parasite-names img)
        (map (lambda (l) (list (car (gimp-item-get-name l)) (true? (car (gimp-item-get-visible l))) (offsets l)))
             (vector->list (layers img)))))

; the layers are saved uncompressed and the photo is loaded from an XCF,
; which GIMP reads itself: compressing and reading PNGs in plug-ins took
; half of this test's time
(let ((img (load \"$work/in.png\")))
  (save-xcf img \"$work/in.xcf\")
  (gimp-image-delete img))

; a. and b.: a layer with offsets, a feathered selection, two resolutions
; (no 2-3 dot groups, so every dot is counted as a blob of its own)
(define (density-case ppi tag)
  (let* ((img (load \"$work/in.xcf\"))
         (d (top img)))
    (gimp-layer-resize d 1120 800 -80 -60)
    (gimp-image-set-resolution img ppi ppi)
    (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 200 200 880 600)
    (gimp-selection-feather img 80)
    (save-layer d (string-append \"$work/\" tag \"-source-before.png\"))
    (density img d)
    (check \"one new layer\" (= (nlayers img) 2))
    (let ((new (top img)))
      (check \"the new layer's name\" (string=? (car (gimp-item-get-name new)) \"SMP density (simulated)\"))
      (check \"the new layer's size\" (and (= (width new) (width d)) (= (height new) (height d))))
      (check \"the new layer's offsets\" (equal? (offsets new) (offsets d)))
      (check \"the source stays below\" (= (car (gimp-image-get-item-position img d)) 1))
      (save-layer new (string-append \"$work/\" tag \"-result.png\")))
    (save-layer d (string-append \"$work/\" tag \"-source-after.png\"))))
(density-case 254.0 \"p254\")
(density-case 508.0 \"p508\")

; a hairline drawn as a path across the image; the covered side is above
(let* ((img (load \"$work/in.xcf\"))
       (d (top img))
       (p (make-path img 10 500 640 460 1270 500)))
  (gimp-image-set-resolution img 254.0 254.0)
  (hairline img d p)
  (check \"one hairline layer\" (= (nlayers img) 2))
  (check \"the hairline layer's name\" (string=? (car (gimp-item-get-name (top img))) \"SMP hairline (simulated)\"))
  (save-layer (top img) \"$work/hairline-result.png\"))

; 16-bit and 32-bit float images: the new layer is there, in the image's
; precision, and darker than the photo where the dots are
(define (precision-case precision tag)
  (let* ((img (load \"$work/in.xcf\")) (d (top img)))
    (gimp-image-set-resolution img 254.0 254.0)
    (gimp-image-convert-precision img precision)
    (density img d)
    (check (string-append tag \": one new layer\") (= (nlayers img) 2))
    (save-layer (top img) (string-append \"$work/\" tag \"-result.png\"))))
(precision-case $precision16 \"u16\")
(precision-case $precision32 \"f32\")
; a scar selected loosely, concealed
(let* ((img (load \"$work/scar.png\")) (d (top img)))
  (gimp-image-set-resolution img 254.0 254.0)
  (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 0 200 1280 80)
  (save-layer d \"$work/scar-source.png\")
  (conceal img d)
  (check \"one scar layer\" (= (nlayers img) 2))
  (check \"the scar layer's name\" (string=? (car (gimp-item-get-name (top img))) \"SMP scar concealment (simulated)\"))
  (save-layer (top img) \"$work/scar-result.png\"))

; matching the client's own stubble: a saved channel of it, the bare half
; selected, the default look's dots at the stubble's density and shade
(let* ((img (load \"$work/stubble.png\")) (d (top img)))
  (gimp-image-set-resolution img 254.0 254.0)
  (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 0 0 400 400)
  (let ((c (car (gimp-selection-save img))))
    (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 400 0 400 400)
    (density-matched img d c)
    (check \"one matched layer\" (= (nlayers img) 2))
    (save-layer (top img) \"$work/stubble-result.png\")))

; session progression: one layer per session, named for it, the last on
; top; a session count out of range refused, nothing added
(let* ((img (load \"$work/in.xcf\")) (d (top img)))
  (gimp-image-set-resolution img 254.0 254.0)
  (check \"0 sessions refused\" (fails? (lambda () (sessions img d 0))))
  (check \"9 sessions refused\" (fails? (lambda () (sessions img d 9))))
  (check \"no session layer added\" (= (nlayers img) 1))
  (sessions img d 3)
  (check \"three session layers\" (= (nlayers img) 4))
  (check \"the last session on top\" (string=? (car (gimp-item-get-name (top img))) \"SMP session 3 (simulated)\"))
  (save-layer (vector-ref (layers img) 2) \"$work/session-1.png\")
  (save-layer (vector-ref (layers img) 1) \"$work/session-2.png\")
  (save-layer (vector-ref (layers img) 0) \"$work/session-3.png\")
  ; the three sessions side by side with the before, each alone
  (let ((n (before-after-each img d)))
    (check \"a layout of the before and three sessions is 1920 x 1080\"
           (equal? (image-size n) (list 1920 1080)))
    (save-layer (top n) \"$work/layout-sessions.png\"))
  ; a fourth visible simulated layer: refused, with no new image
  (sessions img d 1)
  (check \"a fourth session layer\" (= (nlayers img) 5))
  (for-each (lambda (l) (gimp-item-set-visible l TRUE)) (vector->list (layers img)))
  (let ((images (nimages)))
    (check \"four afters refused\" (fails? (lambda () (before-after-each img d))))
    (check \"no image added for four afters\" (= (nimages) images))))

; before/after layout: refused without a result; then a new image, the
; photo's own image left with its two layers
(let* ((img (load \"$work/in.xcf\")) (d (top img)))
  (gimp-image-set-resolution img 254.0 254.0)
  (gimp-image-clean-all img)
  (check \"a layout without a result refused\" (fails? (lambda () (before-after img d))))
  (check \"a refused layout leaves no undo step\" (not (true? (car (gimp-image-is-dirty img)))))
  (density img d)
  (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 100 100 600 400)
  ; c. the photo's image before the layout: its layers' pixels, its state,
  ; no unsaved change (every undo step GIMP records marks it changed)
  (save-layer d \"$work/ba-source-before.png\")
  (save-layer (top img) \"$work/ba-result-before.png\")
  (gimp-image-clean-all img)
  (let ((state (image-state img))
        (n (before-after img d)))
    (check \"the photo's image has no new undo step: not changed since clean\"
           (not (true? (car (gimp-image-is-dirty img)))))
    (check \"the photo's image can still undo\" (true? (car (gimp-image-undo-is-enabled img))))
    (check \"the photo's image keeps its two layers\" (= (nlayers img) 2))
    (check \"the photo's image keeps its size, resolution, selection, parasites and layers\"
           (equal? (image-state img) state))
    (save-layer (top n) \"$work/layout.png\")
    (save-layer d \"$work/ba-source-after.png\")
    (save-layer (top img) \"$work/ba-result-after.png\")
    ; the control: one undo step (renaming a layer) does mark it changed
    (gimp-item-set-name (top img) \"Renamed (simulated)\")
    (check \"an undo step marks the image changed\" (true? (car (gimp-image-is-dirty img)))))
  ; the visible line off: the metadata still says it, through an export
  (let ((n (before-after-unmarked img d)))
    (save-layer (top n) \"$work/layout-unmarked.png\")
    (export-png n \"$work/unmarked.png\")
    (export-jpeg n \"$work/unmarked.jpg\"))
  ; the labels: other texts in another colour, then another font
  (save-layer (top (before-after-labels img d)) \"$work/layout-labels.png\")
  (save-layer (top (before-after-font img d)) \"$work/layout-font.png\")
  ; a label too long for the layout: refused, no new image
  (gimp-image-clean-all img)
  (let ((images (nimages)))
    (check \"a 300-byte label refused\" (fails? (lambda () (before-after-long img d))))
    $no_font
    (check \"no image added for a refused layout\" (= (nimages) images))
    (check \"no undo step for a refused layout\" (not (true? (car (gimp-image-is-dirty img)))))))

; e. Set Scale: 100 px declared as 10 mm is 254 ppi
(let* ((img (load \"$work/in.xcf\"))
       (d (top img))
       (p (make-path img 100 100 150 100 200 100)))
  (gimp-image-set-resolution img 72.0 72.0)
  (set-scale img d p 10.0)
  (check \"Set Scale gives 254 ppi\" (< (abs (- (car (gimp-image-get-resolution img)) 254.0)) 0.01)))

; several layers selected (GIMP 3): one new layer above each
$multi
; d. bad input: an error, and the image as it was
(let* ((img (load \"$work/in.xcf\")) (d (top img)))
  (gimp-image-set-resolution img 254.0 254.0)
  (gimp-image-convert-grayscale img)
  (check \"greyscale refused\" (fails? (lambda () (density img d))))
  (check \"greyscale unchanged\" (= (nlayers img) 1)))
(let* ((img (load \"$work/in.xcf\")) (d (top img)))
  (gimp-image-set-resolution img 254.0 254.0)
  (check \"hairline without selection or path refused\" (fails? (lambda () (hairline-nopath img d))))
  (check \"no layer added\" (= (nlayers img) 1)))
(let* ((img (load \"$work/in.xcf\")) (d (top img)))
  (gimp-image-set-resolution img 10.0 10.0)
  (check \"absurd scale refused\" (fails? (lambda () (density img d))))
  (check \"no layer added at an absurd scale\" (= (nlayers img) 1)))
(let* ((img (load \"$work/in.xcf\")) (d (top img)))
  (gimp-image-set-resolution img 254.0 254.0)
  (check \"scar with an empty selection refused\" (fails? (lambda () (conceal img d))))
  (check \"thicken with an empty selection refused\" (fails? (lambda () (thicken img d))))
  (check \"no scar or thicken layer added\" (= (nlayers img) 1)))
; thicken on a selected area: one new layer with its name
(let* ((img (load \"$work/in.xcf\")) (d (top img)))
  (gimp-image-set-resolution img 254.0 254.0)
  (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 100 100 600 400)
  (thicken img d)
  (check \"one thicken layer\" (= (nlayers img) 2))
  (check \"the thicken layer's name\" (string=? (car (gimp-item-get-name (top img))) \"SMP thickening (simulated)\")))
(let* ((img (load \"$work/in.xcf\")) (d (top img)) (c (new-channel img)))
  (gimp-image-set-resolution img 254.0 254.0)
  (gimp-image-insert-channel img c 0 0)
  (check \"a channel refused\" (fails? (lambda () (density img c))))
  (check \"no layer added for a channel\" (= (nlayers img) 1)))
; d. values out of range or NaN, and paths that are none, refused in
; both GIMPs, changing nothing (GIMP 2.10 itself checks no ranges)
(let* ((img (load \"$work/in.xcf\")) (d (top img)))
  (gimp-image-set-resolution img 254.0 254.0)
  (check \"density -5 refused\" (fails? (lambda () (density-at img d -5.0))))
  (check \"density 1e9 refused\" (fails? (lambda () (density-at img d 1e9))))
  (check \"seed -1 refused\" (fails? (lambda () (seed-at img d -1))))
  (check \"no layer added for a value out of range\" (= (nlayers img) 1)))
$choices
(let* ((img (load \"$work/in.xcf\")) (d (top img)) (p (make-path img 100 100 150 100 200 100)))
  (gimp-image-set-resolution img 254.0 254.0)
  (check \"Set Scale with length 0 refused\" (fails? (lambda () (set-scale img d p 0.0))))
  (check \"Set Scale with length -50 refused\" (fails? (lambda () (set-scale img d p -50.0))))
  (check \"a refused Set Scale keeps the resolution\" (= (car (gimp-image-get-resolution img)) 254.0)))
(let* ((img (load \"$work/in.xcf\")) (d (top img)) (e (empty-path img)) (o (point-path img 300 300)))
  (gimp-image-set-resolution img 254.0 254.0)
  ; a selection is there: a bad path must not fall back to it
  (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 100 100 600 400)
  (check \"hairline with a path of no strokes refused\" (fails? (lambda () (hairline img d e))))
  (check \"hairline with a one-point path refused\" (fails? (lambda () (hairline img d o))))
  (check \"Set Scale with a path of no strokes refused\" (fails? (lambda () (set-scale img d e 10.0))))
  (check \"Set Scale with a one-point path refused\" (fails? (lambda () (set-scale img d o 10.0))))
  (check \"no layer added for a bad path\" (= (nlayers img) 1))
  (check \"a bad path keeps the resolution\" (= (car (gimp-image-get-resolution img)) 254.0)))
(display \"SMP-BATCH-DONE\")
(newline))"

start=$SECONDS
status=0
if [ "$major" = 3 ]; then
  timeout -k 10 420 "$gimp" -i --batch-interpreter=plug-in-script-fu-eval \
    --quit -b "$batch" >"$work/gimp.log" 2>&1 || status=$?
else
  # with its fonts (no -f): a layout's font name is checked against them
  timeout -k 10 420 "$gimp" -i -d -b "$batch" -b '(gimp-quit 0)' \
    >"$work/gimp.log" 2>&1 || status=$?
fi
echo "$gimp: exit $status after $((SECONDS - start)) s"

fail() {
  echo "FAIL: $*"
  echo "---- $gimp output ----"
  cat "$work/gimp.log"
  exit 1
}
[ "$status" -eq 0 ] || fail "$gimp exited with status $status"
grep -q 'CHECK FAILED\|execution error' "$work/gimp.log" && fail "a check in the batch failed"
# each refused call said why, in words a user can act on
for message in "work on RGB images" "Select the area behind" "no real scale" "not a pixel layer" "Select the scar first" "Select the thinning area first" \
               "The path has no stroke of two points or more"; do
  grep -q "$message" "$work/gimp.log" || fail "no message '$message'"
done
# GIMP 3's Script-Fu refuses a value out of range before the plug-in runs;
# in GIMP 2.10 the plug-in refuses it, in the same words
if [ "$major" != 3 ]; then
  for message in "argument 6 in call to plug-in-smp-density has value -5.000000 out of range: 5.000000 to 400.000000" \
                 "argument 6 in call to plug-in-smp-density has value 1000000000.000000 out of range" \
                 "argument 18 in call to plug-in-smp-density has value -1 out of range: 0 to 2147483647" \
                 "argument 19 in call to plug-in-smp-hairline has value 9 out of range: 0 to 3" \
                 "argument 5 in call to plug-in-smp-set-scale has value 0.000000 out of range: 1.000000 to 2000.000000" \
                 "argument 5 in call to plug-in-smp-set-scale has value -50.000000 out of range"; do
    grep -qF "$message" "$work/gimp.log" || fail "no message '$message'"
  done
  # a NaN: GIMP 2.10 itself refuses it, as "out of range"
  grep -qE "nan'? .*out of range" "$work/gimp.log" || fail "no message that a NaN is out of range"
fi
# GIMP 3 prints what the batch displays; GIMP 2.10 does not, so there the
# files the batch wrote are the proof it ran to the end
[ -s "$work/hairline-result.png" ] || fail "the batch stopped early"

"$checker" density "$work" || fail "the density layers"
"$checker" hairline "$work/in.png" "$work/hairline-result.png" 254 460 500 || fail "the hairline layer"
"$checker" scar "$(dirname "$module")" "$work/scar-source.png" "$work/scar-result.png" || fail "the scar layer"
"$checker" matched "$work/stubble-bare.png" "$work/stubble.png" "$work/stubble-result.png" || fail "the matched layer"
"$checker" layout "$work/layout.png" 1080 1080 || fail "the before/after layout"
# the photo's own layers after the layout are what they were, to the bit
"$checker" identical "$work/ba-source-before.png" "$work/ba-source-after.png" \
  || fail "the layout changed the photo's layer"
"$checker" identical "$work/ba-result-before.png" "$work/ba-result-after.png" \
  || fail "the layout changed the simulated layer"
"$checker" labels "$work/layout.png" "$work/layout-labels.png" "$work/layout-font.png" \
  "$work/layout-unmarked.png" || fail "the layout's labels"
grep -q "The Before label is too long: 300 bytes, at most 255" "$work/gimp.log" \
  || fail "no message that a label is too long"
if [ "$major" != 3 ]; then
  grep -q 'GIMP has no font named "No Such Font"' "$work/gimp.log" || fail "no message for an unknown font"
fi
# read back without GIMP: the comment and the XMP of both exports hold the
# disclosure, the tool and its version, the look and the settings, though
# the visible line is off
disclosure="Digital simulation, not an actual treatment result"
version=${SMP_VERSION:?the project version, from meson}
for file in "$work/unmarked.png" "$work/unmarked.jpg"; do
  more=()
  # GIMP 3.0 (gexiv2 0.14) keeps a language alternative only up to its
  # first comma on its way to the file; GIMP 2.10 keeps it whole
  [ "$major" = 3 ] || more=(--xmp "dc:description=$disclosure")
  "$meta_read" "$file" \
    --comment "$disclosure" --comment "gimp-smp $version" \
    --comment "made by plug-in-smp-density: look custom" --comment "visible disclosure line off" \
    --xmp "photoshop:Instructions=$disclosure" --xmp "photoshop:Instructions=gimp-smp $version" \
    --xmp "photoshop:Instructions=made by plug-in-smp-density: look custom" \
    --xmp "photoshop:Instructions=visible disclosure line off" \
    --xmp "dc:description=Digital simulation" \
    --xmp "iptcExt:DigitalSourceType=/digitalsourcetype/compositeSynthetic" "${more[@]}" \
    || fail "the disclosure in $(basename "$file")'s metadata"
done
"$checker" sessions "$work/in.png" "$work/session-1.png" "$work/session-2.png" "$work/session-3.png" \
  || fail "the session layers"
"$checker" panels "$work/layout-sessions.png" 4 || fail "the sessions' layout"
for tag in u16 f32; do
  "$checker" dots "$work/in.png" "$work/$tag-result.png" 254 || fail "the $tag layer"
done

# the user guide's batch command: tests/gimp/batch.sh (the plugin-batch test)
echo "PASS: the plug-in in $gimp"
